import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  AgentRuntimeToken,
  ApiKeyStoreToken,
  HttpServerToken,
  PromptBuilderToken,
  SessionStoreToken,
  Tools,
  type AgentEvent,
  type ToolResult,
} from '@nexus/plugin-sdk';
import type { ModelReply, ModelRequest, TestHost, TestHostOptions, TestRequest, TestResponse, TestTurn } from '@nexus/plugin-sdk/testing';
import { MemoryLogger } from '@nexus/plugin-sdk/testing';
import { configFromData, Kernel } from '../kernel/index.js';
import { MANIFEST_FILE } from '../kernel/manifest/index.js';
import { SchemaCompiler } from '../kernel/schema/index.js';
import { httpError, openaiBaseUrl, startFakeOpenAI, textReply, toolCallReply, type FakeLlmServer, type ScriptedReply } from './llm-servers/index.js';

const MODEL = 'scripted-model';
const AGENT = 'main';

/**
 * The host side of `startTestHost` (`@nexus/plugin-sdk/testing`): a kernel with every built-in
 * plugin and the plugin under test, started as `nexus serve` starts, on free ports, with
 * in-memory storage, a workspace of its own and the OpenAI provider pointed at a scripted server.
 */
export async function startTestHost(options: TestHostOptions): Promise<TestHost> {
  const manifestPath = manifestOf(options.plugin);
  const pluginId = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { id: string }).id;
  const home = mkdtempSync(join(tmpdir(), 'nexus-test-host-'));
  const model = await startFakeOpenAI({ apiKey: 'test-key', models: [MODEL] });
  model.push(...(options.model ?? []).map(toScripted));
  const logger = new MemoryLogger();
  const entry: Record<string, unknown> = { path: manifestPath };
  if (options.config !== undefined) entry.config = options.config;
  const kernel = new Kernel({
    config: configFromData({
      server: { host: '127.0.0.1', grpc_port: 0, http_port: 0 },
      database: { url: 'memory' },
      workspace: { path: join(home, 'workspace') },
      llm: { default_provider: 'scripted', providers: { scripted: { type: 'openai', base_url: openaiBaseUrl(model), api_key: 'test-key', default_model: MODEL, max_retries: 0 } } },
      ...options.settings,
      plugins: { load: { paths: (options.with ?? []).map((p) => resolve(p)) }, entries: { [pluginId]: entry } },
    }),
    home,
    workspaceDir: home,
    packageDirs: [],
    discoveryIndex: false,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.services ? { services: options.services } : {}),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    try {
      await kernel.stop('test finished');
    } finally {
      await model.close();
      rmSync(home, { recursive: true, force: true });
    }
  };
  try {
    await kernel.start();
  } catch (error) {
    await stop();
    throw error;
  }
  const schemas = new SchemaCompiler();
  let keys = 0;
  return {
    pluginId,
    logs: logger.entries,
    hooks: kernel.hooks,
    state() {
      const record = kernel.record(pluginId);
      if (!record) throw new Error(`plugin ${pluginId} was not discovered at ${manifestPath}`);
      return { state: record.state, diagnostics: record.diagnostics };
    },
    async request(init) {
      return send(await kernel.services.get(HttpServerToken), init);
    },
    async apiKey() {
      const key = `nxk_test_${randomBytes(16).toString('hex')}`;
      await (await kernel.services.get(ApiKeyStoreToken)).create({ name: `test-${++keys}`, userId: `test-${keys}`, key });
      return key;
    },
    async prompt(context = {}) {
      const builder = await kernel.services.get(PromptBuilderToken);
      return builder.build({ sessionId: 'test', agentId: AGENT, channel: 'test', message: '', metadata: {}, heartbeat: false, ...context, signal: new AbortController().signal });
    },
    async turn(message, turnOptions = {}) {
      const channel = turnOptions.channel ?? 'test';
      const sessions = await kernel.services.get(SessionStoreToken);
      const session = await sessions.getOrCreate({ agentId: AGENT, channel, key: `${AGENT}:${channel}:${turnOptions.session ?? 'test'}` });
      const inbound = await sessions.appendMessage({ sessionId: session.id, role: 'user', content: message, metadata: turnOptions.metadata ?? {} });
      const runtime = await kernel.services.get(AgentRuntimeToken);
      const events: AgentEvent[] = [];
      for await (const event of runtime.run({ sessionId: session.id, agentId: AGENT, channel, content: message, messageId: inbound.id, metadata: turnOptions.metadata ?? {} }, { signal: new AbortController().signal })) {
        events.push(event);
      }
      const result = transcript(events);
      if (result.text) await sessions.appendMessage({ sessionId: session.id, role: 'assistant', content: result.text });
      return result;
    },
    modelRequests: () => model.streamRequests.map(toModelRequest),
    async callTool(name, input) {
      const declared = kernel.contributions.declared(Tools, name);
      if (!declared) throw new Error(`no enabled plugin declares the tool "${name}" (contributes.tools)`);
      const checked = schemas.validate(declared.inputSchema, input);
      if (!checked.valid) return { content: `invalid input for tool ${name}: ${schemas.ajv.errorsText([...checked.errors])}`, isError: true };
      const tool = await kernel.contributions.get(Tools, name);
      return tool.execute(checked.value, { signal: new AbortController().signal, logger: logger.child({ tool: name }) }) as Promise<ToolResult>;
    },
    service: (token) => kernel.services.get(token),
    contribution: (point, name) => kernel.contributions.get(point, name),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

function manifestOf(plugin: string): string {
  const location = resolve(plugin);
  return location.endsWith('.json') ? location : join(location, MANIFEST_FILE);
}

function toScripted(reply: ModelReply): ScriptedReply {
  if (typeof reply === 'string') return textReply(reply);
  if ('error' in reply) return httpError(reply.error.status, reply.error.message === undefined ? {} : { message: reply.error.message });
  return toolCallReply(reply.toolCalls, reply.text ? [reply.text] : []);
}

async function send(server: { address(): { url: string } | undefined }, init: TestRequest): Promise<TestResponse> {
  const address = server.address();
  if (!address) throw new Error('the HTTP server is not listening (did the http plugin start? see the test host logs)');
  const headers: Record<string, string> = { ...init.headers };
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${address.url}${init.path}`, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

function transcript(events: readonly AgentEvent[]): TestTurn {
  const calls = new Map<string, { name: string; input: unknown }>();
  const toolCalls: TestTurn['toolCalls'][number][] = [];
  let text: string | undefined;
  let error: TestTurn['error'];
  for (const event of events) {
    if (event.type === 'tool_call') calls.set(event.call.id, { name: event.call.name, input: event.call.input });
    else if (event.type === 'tool_result') toolCalls.push({ name: event.name, input: calls.get(event.callId)?.input, result: event.content, isError: event.isError });
    else if (event.type === 'done') text = event.text;
    else if (event.type === 'error') error = { code: event.code, message: event.message };
  }
  return { text, events, toolCalls, ...(error ? { error } : {}) };
}

/** An OpenAI chat request, as the test sees it: the system message apart, tools by name. */
function toModelRequest(request: FakeLlmServer['requests'][number]): ModelRequest {
  const messages = (request.body?.messages ?? []) as { role: string; content: unknown }[];
  const system = messages.find((m) => m.role === 'system');
  return {
    system: typeof system?.content === 'string' ? system.content : undefined,
    messages: messages.filter((m) => m.role !== 'system'),
    tools: ((request.body?.tools ?? []) as { function: { name: string } }[]).map((t) => t.function.name),
  };
}
