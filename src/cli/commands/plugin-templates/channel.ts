import type { KindTemplate } from './kind-template.js';

/** A channel fed over HTTP: POST a message, the agent's reply is read back with GET. */
export const channelTemplate: KindTemplate = {
  summary: 'a chat channel (here an HTTP inbox; swap in your platform)',
  contributes: (n) => ({
    channels: [{ name: n.short, description: `Messages POSTed to /${n.short}; replies read back with GET /${n.short}.` }],
    httpRoutes: [{ prefix: `/${n.short}`, auth: 'token', description: 'POST a message, GET the replies.' }],
  }),
  entry: (n) => `import { randomUUID } from 'node:crypto';
import {
  ChannelInbounds,
  ChannelLifecycles,
  ChannelOutbounds,
  ConversationResolvers,
  definePlugin,
  HttpError,
  HttpRoutes,
  inject,
  injectable,
  LoggerToken,
  TaskTrackerToken,
  type ChannelInbound,
  type ChannelLifecycle,
  type ChannelOutbound,
  type ConversationResolver,
  type DeliveryReceipt,
  type HttpRequest,
  type HttpResponse,
  type HttpRoute,
  type InboundMessage,
  type Logger,
  type OutboundMessage,
  type TaskTracker,
} from '@nexus/plugin-sdk';
import { chunkText } from '@nexus/plugin-sdk/channel';

/** The longest message the platform takes; longer replies go out in pieces. */
export const MESSAGE_LIMIT = 2000;

type Handler = (message: InboundMessage) => Promise<void>;

/** One object with four capabilities; the plugin binds it under each capability's token. */
@injectable()
export class ${n.pascal}Channel implements ChannelLifecycle, ChannelInbound, ChannelOutbound, ConversationResolver {
  private readonly handlers = new Set<Handler>();
  private readonly replies = new Map<string, string[]>();
  running = false;

  constructor(
    @inject(TaskTrackerToken) private readonly tasks: TaskTracker,
    @inject(LoggerToken) private readonly logger: Logger,
  ) {}

  // The gateway calls start() once it serves, and stop() when it shuts down.
  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  // The gateway subscribes here; its handler runs the whole turn and then calls send().
  onMessage(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Hands a message to the gateway without waiting for the turn, so the sender is answered at once. */
  receive(senderId: string, content: string): string {
    const message: InboundMessage = { channel: '${n.short}', accountId: 'default', externalId: randomUUID(), senderId, content, receivedAt: Date.now() };
    for (const handle of this.handlers) {
      // A tracked task: stopping the plugin waits for it.
      this.tasks.run(\`${n.short} \${message.externalId}\`, () => handle(message)).catch((error: unknown) => {
        this.logger.error(\`${n.short} message not handled: \${(error as Error).message}\`);
      });
    }
    return message.externalId;
  }

  // One session per sender: the gateway keys it <agent>:${n.short}:<sender>.
  conversationId(message: InboundMessage): string {
    return message.senderId;
  }

  // \`target\` is the conversation id from conversationId().
  async send(message: OutboundMessage): Promise<DeliveryReceipt> {
    const list = this.replies.get(message.target) ?? [];
    list.push(...chunkText(message.content, { limit: MESSAGE_LIMIT }));
    this.replies.set(message.target, list);
    return { deliveredAt: Date.now() };
  }

  repliesFor(senderId: string): readonly string[] {
    return this.replies.get(senderId) ?? [];
  }
}

/**
 * POST /${n.short} with the message as the body; GET /${n.short} for the replies so far. Its prefix
 * and \`auth: token\` are in nexus.plugin.json, which the server enforces: the code is just handle().
 */
export function ${n.camel}Route(channel: ${n.pascal}Channel): HttpRoute {
  return {
    async handle(request: HttpRequest): Promise<HttpResponse> {
      if (request.subpath !== '') throw new HttpError(404, 'not_found', \`no route serves \${request.path}; use /${n.short}\`);
      // On a \`token\` route the server has checked the credential; \`local\` when none is configured.
      const sender = request.principal?.userId ?? 'local';
      if (request.method === 'GET') return { status: 200, json: { replies: channel.repliesFor(sender) } };
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use GET or POST', { allow: 'GET, POST' });
      if (!channel.running) throw new HttpError(503, '${n.snake}_stopped', 'the channel is not running; retry shortly', { 'retry-after': '5' });
      const text = new TextDecoder().decode(request.body).trim();
      if (text === '') throw new HttpError(400, 'empty_message', 'send the message text as the request body');
      return { status: 202, json: { accepted: true, id: channel.receive(sender, text) } };
    },
  };
}

export default definePlugin({
  register(ctx) {
    ctx.bind(${n.pascal}Channel).toSelf(); // one instance: bindings are singletons
    ctx.contribute(ChannelLifecycles, '${n.short}').toDynamicValue((c) => c.get(${n.pascal}Channel));
    ctx.contribute(ChannelInbounds, '${n.short}').toDynamicValue((c) => c.get(${n.pascal}Channel));
    ctx.contribute(ChannelOutbounds, '${n.short}').toDynamicValue((c) => c.get(${n.pascal}Channel));
    ctx.contribute(ConversationResolvers, '${n.short}').toDynamicValue((c) => c.get(${n.pascal}Channel));
    ctx.contribute(HttpRoutes, '/${n.short}').toDynamicValue((c) => ${n.camel}Route(c.get(${n.pascal}Channel)));
  },
});
`,
  test: (n) => `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createHttpRequest, MemoryLogger, verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { ${n.camel}Route, ${n.pascal}Channel, MESSAGE_LIMIT } from '../dist/index.js';

const plugin = fileURLToPath(new URL('..', import.meta.url));
/** Runs tasks at once, as the host's tracker does, minus the bookkeeping. */
const tasks = { run: (_name, work) => work(new AbortController().signal), active: () => [], signal: new AbortController().signal };

test('honours its manifest', async () => {
  const report = await verifyPluginContract({ plugin });
  assert.deepEqual(report.problems, []);
  // Lifecycle, inbound, outbound and conversation resolver each resolve under the channel's name.
  assert.deepEqual([...report.resolved].sort(), [...Array(4).fill('channels:${n.short}'), 'httpRoutes:/${n.short}']);
});

test('hands a POSTed message to the gateway and serves the reply, split at the message limit', async () => {
  const channel = new ${n.pascal}Channel(tasks, new MemoryLogger());
  const route = ${n.camel}Route(channel);
  const seen = [];
  channel.onMessage(async (message) => {
    seen.push(message);
    await channel.send({ channel: '${n.short}', target: channel.conversationId(message), content: 'word '.repeat(MESSAGE_LIMIT / 2) });
  });
  await channel.start();
  const posted = await route.handle(createHttpRequest({ path: '/${n.short}', body: 'hello', principal: { userId: 'ada' } }));
  assert.equal(posted.status, 202);
  assert.deepEqual(seen.map((m) => [m.senderId, m.content]), [['ada', 'hello']]);
  const replies = (await route.handle(createHttpRequest({ path: '/${n.short}', principal: { userId: 'ada' } }))).json.replies;
  assert.equal(replies.length, 3);
  assert.ok(replies.every((piece) => piece.length <= MESSAGE_LIMIT));
});

test('refuses an empty message and messages while stopped', async () => {
  const channel = new ${n.pascal}Channel(tasks, new MemoryLogger());
  const route = ${n.camel}Route(channel);
  await assert.rejects(route.handle(createHttpRequest({ path: '/${n.short}', body: 'hi' })), { status: 503 });
  await channel.start();
  await assert.rejects(route.handle(createHttpRequest({ path: '/${n.short}', body: '  ' })), { status: 400, code: 'empty_message' });
});
`,
  readme: (n) => `Contributes the \`${n.short}\` channel: \`POST /${n.short}\` with the message as the body
(\`auth: token\`: send an API key once one exists), then \`GET /${n.short}\` for the agent's
replies. Replace \`receive\` and \`send\` with your platform's API to make it a real chat channel;
the channel kit (\`@nexus/plugin-sdk/channel\`) has chunking, Markdown dialects, rate limits and
retry classification.
`,
};
