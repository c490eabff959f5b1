import {
  ChannelInbounds,
  ChannelLifecycles,
  ChannelOutbounds,
  ConversationResolvers,
  type ChannelLifecycle,
  type Clock,
  type ContributionRegistry,
  type HookBus,
  type InboundMessage,
  type Logger,
} from '@nexus/plugin-sdk';
import { isMessageDropped } from './message-dropped.js';
import type { MessagePipeline } from './message-pipeline.js';

export interface ChannelRouterDeps {
  readonly contributions: ContributionRegistry;
  readonly pipeline: MessagePipeline;
  readonly hooks: HookBus;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly defaultAgentId: () => string;
}

/**
 * Fans in every active channel adapter: starts their lifecycles, subscribes to their inbound
 * messages, runs each through the pipeline and sends the reply back out the same channel.
 * A channel that fails to start is logged and skipped; the others keep serving.
 */
export class ChannelRouter {
  private readonly unsubscribes: (() => void)[] = [];
  /** Kept from `start`: at shutdown the kernel no longer hands out contributions. */
  private readonly started: { readonly name: string; readonly lifecycle: ChannelLifecycle }[] = [];
  /** Aborts deliveries still retrying when the gateway stops. */
  private readonly stopping = new AbortController();

  constructor(private readonly deps: ChannelRouterDeps) {}

  async start(signal: AbortSignal): Promise<readonly string[]> {
    const { contributions, logger } = this.deps;
    for (const { name, value } of await contributions.getAll(ChannelInbounds)) {
      this.unsubscribes.push(value.onMessage((message) => this.handle(message)));
      if (contributions.has(ChannelLifecycles, name)) {
        try {
          const lifecycle = await contributions.get(ChannelLifecycles, name);
          await lifecycle.start(signal);
          this.started.push({ name, lifecycle });
        } catch (error) {
          logger.error(`channel ${name} failed to start; its messages are not served`, { channel: name, error: (error as Error).message });
        }
      }
    }
    return this.started.map((s) => s.name);
  }

  /**
   * Stops the channels first when the gateway drains, so they refuse new messages (senders get
   * an error and retry elsewhere) instead of accepting what the pipeline would then refuse.
   */
  async stop(): Promise<void> {
    for (const unsubscribe of this.unsubscribes.splice(0)) unsubscribe();
    for (const { name, lifecycle } of this.started.splice(0).reverse()) {
      try {
        await lifecycle.stop();
      } catch (error) {
        this.deps.logger.warn(`channel ${name} did not stop cleanly`, { channel: name, error: (error as Error).message });
      }
    }
  }

  /** Cuts short deliveries still retrying: the last step of shutdown, after the drain. */
  abortDeliveries(): void {
    this.stopping.abort(new Error('the gateway stopped'));
  }

  /** One inbound channel message, start to finish. Never throws: failures are logged and hooked. */
  async handle(message: InboundMessage): Promise<void> {
    const { contributions, pipeline, hooks, clock, logger } = this.deps;
    const failed = (code: string, text: string, sessionId?: string) =>
      hooks.emit('message.failed', { channel: message.channel, accountId: message.accountId, sessionId, code, message: text });
    let sessionId: string | undefined;
    try {
      const resolver = contributions.has(ConversationResolvers, message.channel) ? await contributions.get(ConversationResolvers, message.channel) : undefined;
      const conversationId = resolver ? resolver.conversationId(message) : message.senderId;
      const session = await pipeline.resolveSession(this.deps.defaultAgentId(), message.channel, conversationId);
      sessionId = session.id;
      const outcome = await pipeline.submit({
        session,
        channel: message.channel,
        accountId: message.accountId,
        content: message.content,
        attachments: message.attachments,
        metadata: { ...message.metadata, external_id: message.externalId, sender_id: message.senderId },
      });
      // Never send partial replies to external channels; an empty reply sends nothing.
      if (outcome.status !== 'done') {
        await failed('turn_failed', outcome.message, session.id);
        return;
      }
      if (!outcome.reply || outcome.reply.content.trim() === '') return;
      const sending = await hooks.modify('message.sending', {
        channel: message.channel,
        accountId: message.accountId,
        sessionId: session.id,
        target: conversationId,
        messageId: outcome.reply.id,
        content: outcome.reply.content,
      });
      if (sending.cancel !== undefined) {
        logger.info('a message.sending handler cancelled a reply; nothing was sent', { channel: message.channel, sessionId: session.id, messageId: outcome.reply.id, reason: sending.cancel });
        return;
      }
      if (sending.content.trim() === '') return;
      const outbound = await contributions.get(ChannelOutbounds, message.channel);
      const started = clock.now();
      await outbound.send(
        { channel: message.channel, accountId: message.accountId, target: conversationId, content: sending.content, metadata: message.metadata },
        // The channel applies its own retry policy; only shutdown cuts a delivery short.
        { signal: this.stopping.signal },
      );
      await hooks.emit('message.sent', {
        channel: message.channel,
        accountId: message.accountId,
        sessionId: session.id,
        messageId: outcome.reply.id,
        latencyMs: clock.now() - started,
      });
    } catch (error) {
      // Dropped on purpose (moderation): the turn runner logged the reason; nothing failed.
      if (isMessageDropped(error)) return;
      logger.error(`message from ${message.channel} could not be handled`, { channel: message.channel, sessionId, error: (error as Error).message });
      await failed((error as { code?: string }).code ?? 'delivery_failed', (error as Error).message, sessionId);
    }
  }
}
