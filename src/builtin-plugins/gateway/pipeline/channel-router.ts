import {
  ChannelInbounds,
  ChannelLifecycles,
  ChannelOutbounds,
  ChannelReplyStreams,
  ConversationResolvers,
  type ChannelInbound,
  type ChannelLifecycle,
  type Clock,
  type ContributionRegistry,
  type HookBus,
  type InboundMessage,
  type Logger,
  type Message,
  type ReplyDraft,
  type Token,
} from '@nexus/plugin-sdk';
import { isMessageDropped } from './message-dropped.js';
import type { MessagePipeline } from './message-pipeline.js';
import type { TurnListener } from './turn-types.js';

export interface ChannelRouterDeps {
  readonly contributions: ContributionRegistry;
  readonly pipeline: MessagePipeline;
  readonly hooks: HookBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultAgentId: () => string;
}

/** One channel the router serves: what it listens to, and what it started (if it has a lifecycle). */
interface ServedChannel {
  readonly inbound: ChannelInbound;
  readonly lifecycle: ChannelLifecycle | undefined;
  readonly unsubscribe: () => void;
  readonly running: boolean;
}

/**
 * Fans in every active channel adapter: starts their lifecycles, subscribes to their inbound
 * messages, runs each through the pipeline and sends the reply back out the same channel: as a
 * draft edited in place while the turn streams, for a channel with the `replies` capability,
 * else once, when the turn is done.
 * A channel that fails to start is logged and skipped; the others keep serving.
 * A config reload that restarts a channel's plugin gives it new capability objects: `follow`
 * serves those in place of the old ones, and lets go of channels whose plugin stopped.
 */
export class ChannelRouter {
  /** By channel name, in start order. Kept from `start`: at shutdown the kernel no longer hands out contributions. */
  private readonly served = new Map<string, ServedChannel>();
  /** Aborts deliveries still retrying when the gateway stops. */
  private readonly stopping = new AbortController();
  /** The gateway's lifetime, from `start`: what every channel started later runs under too. */
  private signal: AbortSignal | undefined;
  /** Catch-ups run one at a time, and `stop` waits for the one in progress. */
  private catchingUp: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: ChannelRouterDeps) {}

  async start(signal: AbortSignal): Promise<readonly string[]> {
    this.signal = signal;
    await this.catchUp(signal, false);
    return [...this.served].flatMap(([name, channel]) => (channel.running ? [name] : []));
  }

  /**
   * Hook `plugin.activated`: a plugin (re)started by a config reload (event `reload`, also the
   * event of a plugin the reload newly enables) may bring channels with new settings, or the
   * channel set may have changed. Resolves once the channels are caught up. A reload that only
   * disables a channel activates nothing: the plugin's `deactivate` stopped it, and the router
   * lets go of it at the next catch-up or at `stop`.
   */
  follow(event: string): Promise<void> {
    const signal = this.signal;
    if (event !== 'reload' || !signal || this.stopped) return Promise.resolve();
    const caughtUp = this.catchingUp.then(() => (this.stopped ? undefined : this.catchUp(signal, true)));
    // A failed catch-up is the caller's to report; the next one, and `stop`, still run.
    this.catchingUp = caughtUp.catch(() => undefined);
    return caughtUp;
  }

  /**
   * Stops the channels first when the gateway drains, so they refuse new messages (senders get
   * an error and retry elsewhere) instead of accepting what the pipeline would then refuse.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.catchingUp;
    for (const [name, channel] of [...this.served].reverse()) await this.release(name, channel);
  }

  /** Serves the channels the contributions name now: new objects replace old ones, missing ones are let go. */
  private async catchUp(signal: AbortSignal, reloading: boolean): Promise<void> {
    const { contributions, logger } = this.deps;
    const inbounds = await contributions.getAll(ChannelInbounds);
    const current = new Set(inbounds.map((c) => c.name));
    for (const [name, channel] of this.served) {
      if (current.has(name)) continue;
      // Its plugin stopped (a reload disabled it); its deactivate stopped it, stopping again is harmless.
      await this.release(name, channel);
      logger.info(`channel ${name} is no longer served: its plugin stopped`, { channel: name });
    }
    for (const { name, value: inbound } of inbounds) {
      // A channel without a lifecycle (one fed by an HTTP route, say) has nothing to start.
      const lifecycle = await capability(contributions, ChannelLifecycles, name);
      const previous = this.served.get(name);
      if (previous && previous.inbound === inbound && previous.lifecycle === lifecycle) continue;
      if (previous) await this.release(name, previous);
      const unsubscribe = inbound.onMessage((message) => this.handle(message));
      let running = false;
      if (lifecycle) {
        try {
          await lifecycle.start(signal);
          running = true;
          if (reloading) logger.info(`channel ${name} reconnected with its new settings`, { channel: name });
        } catch (error) {
          logger.error(`channel ${name} failed to start; its messages are not served`, { channel: name, error: (error as Error).message });
        }
      }
      this.served.set(name, { inbound, lifecycle, unsubscribe, running });
    }
  }

  /** Stops listening to a channel and stops what was started (idempotent on the channel's side). */
  private async release(name: string, channel: ServedChannel): Promise<void> {
    this.served.delete(name);
    channel.unsubscribe();
    if (!channel.running || !channel.lifecycle) return;
    try {
      await channel.lifecycle.stop();
    } catch (error) {
      this.deps.logger.warn(`channel ${name} did not stop cleanly`, { channel: name, error: (error as Error).message });
    }
  }

  /** Cuts short deliveries still retrying: the last step of shutdown, after the drain. */
  abortDeliveries(): void {
    this.stopping.abort(new Error('the gateway stopped'));
  }

  /** One inbound channel message, start to finish. Never throws: failures are logged and hooked. */
  async handle(message: InboundMessage): Promise<void> {
    const { contributions, pipeline, hooks } = this.deps;
    const failed = (code: string, text: string, sessionId?: string) =>
      hooks.emit('message.failed', { channel: message.channel, accountId: message.accountId, sessionId, code, message: text });
    let sessionId: string | undefined;
    // A channel with the `replies` capability shows the reply as it is written.
    let draft: ReplyDraft | undefined;
    try {
      const resolver = await capability(contributions, ConversationResolvers, message.channel);
      const conversationId = resolver ? resolver.conversationId(message) : message.senderId;
      const session = await pipeline.resolveSession(this.deps.defaultAgentId(), message.channel, conversationId);
      sessionId = session.id;
      const replies = await capability(contributions, ChannelReplyStreams, message.channel);
      draft = replies?.open({ inbound: message, target: conversationId, signal: this.stopping.signal });
      const outcome = await pipeline.submit(
        {
          session,
          channel: message.channel,
          accountId: message.accountId,
          content: message.content,
          attachments: message.attachments,
          metadata: { ...message.metadata, external_id: message.externalId, sender_id: message.senderId },
        },
        draft ? streamInto(draft) : undefined,
      );
      // Never send partial replies to external channels; an empty reply sends nothing.
      if (outcome.status !== 'done') {
        await this.abandonQuietly(draft, message, `the turn ended without an answer (${outcome.code})`);
        await failed('turn_failed', outcome.message, session.id);
        return;
      }
      if (!outcome.reply || outcome.reply.content.trim() === '') {
        await this.abandonQuietly(draft, message, 'the turn gave no answer');
        return;
      }
      await this.deliver(message, session.id, conversationId, outcome.reply, draft);
    } catch (error) {
      await this.abandonQuietly(draft, message, (error as Error).message);
      // Dropped on purpose (moderation): the turn runner logged the reason; nothing failed.
      if (isMessageDropped(error)) return;
      this.deps.logger.error(`message from ${message.channel} could not be handled`, { channel: message.channel, sessionId, error: (error as Error).message });
      await failed((error as { code?: string }).code ?? 'delivery_failed', (error as Error).message, sessionId);
    }
  }

  /** The final reply, after `message.sending`: the draft settled with it, or sent once. */
  private async deliver(message: InboundMessage, sessionId: string, target: string, reply: Message, draft: ReplyDraft | undefined): Promise<void> {
    const { contributions, hooks, clock, logger } = this.deps;
    const sending = await hooks.modify('message.sending', {
      channel: message.channel,
      accountId: message.accountId,
      sessionId,
      target,
      messageId: reply.id,
      content: reply.content,
    });
    if (sending.cancel !== undefined) {
      logger.info('a message.sending handler cancelled a reply; nothing was sent', { channel: message.channel, sessionId, messageId: reply.id, reason: sending.cancel });
      await this.abandonQuietly(draft, message, `a message.sending handler cancelled the reply: ${sending.cancel}`);
      return;
    }
    if (sending.content.trim() === '') {
      await this.abandonQuietly(draft, message, 'a message.sending handler emptied the reply');
      return;
    }
    const started = clock.now();
    if (draft) await draft.finish(sending.content);
    else {
      const outbound = await contributions.get(ChannelOutbounds, message.channel);
      await outbound.send(
        { channel: message.channel, accountId: message.accountId, target, content: sending.content, metadata: message.metadata },
        // The channel applies its own retry policy; only shutdown cuts a delivery short.
        { signal: this.stopping.signal },
      );
    }
    await hooks.emit('message.sent', { channel: message.channel, accountId: message.accountId, sessionId, messageId: reply.id, latencyMs: clock.now() - started });
  }

  /** Abandons a draft after a failure; a draft that fails to abandon is only logged (the failure is what matters). */
  private async abandonQuietly(draft: ReplyDraft | undefined, message: InboundMessage, reason: string): Promise<void> {
    try {
      await draft?.abandon(reason);
    } catch (error) {
      this.deps.logger.warn(`channel ${message.channel} could not abandon a reply draft`, { channel: message.channel, error: (error as Error).message });
    }
  }
}

/**
 * The capability `channel` binds under `point`, if it binds one. `has` cannot tell: a channel
 * declares one name for all its capabilities, and binds only those it has.
 */
export async function capability<T>(contributions: ContributionRegistry, point: Token<T>, channel: string): Promise<T | undefined> {
  if (!contributions.has(point, channel)) return undefined;
  return (await contributions.getAll(point)).find((c) => c.name === channel)?.value;
}

/** Feeds a draft the reply so far, whole, as the turn streams it. */
function streamInto(draft: ReplyDraft): TurnListener {
  let text = '';
  return (event) => {
    if (event.type !== 'agent' || event.event.type !== 'text_delta') return;
    text += event.event.text;
    try {
      draft.update(text);
    } catch {
      // The contract says update never throws; one that does must not break the turn.
    }
  };
}
