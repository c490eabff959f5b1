import type { ChannelInbound, ChannelLifecycle, ConversationResolver, InboundMessage, Logger, TaskTracker } from '@nexus/plugin-sdk';
import type { WebhookActivity } from './webhook-activity.js';

type Handler = (message: InboundMessage) => Promise<void>;

/**
 * The channel's inbound side. There is no connection to open: `start` and `stop` decide whether
 * requests are accepted, and accepted messages go to the `onMessage` handlers as tracked
 * background work, so the HTTP caller gets its 202 without waiting for the agent's turn.
 */
export class WebhookChannel implements ChannelLifecycle, ChannelInbound, ConversationResolver {
  private readonly handlers = new Set<Handler>();

  constructor(
    private readonly activity: WebhookActivity,
    private readonly tasks: TaskTracker,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.activity.running = true;
  }

  async stop(): Promise<void> {
    this.activity.running = false;
  }

  onMessage(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  /** Why a message cannot be taken right now, or undefined when it can. */
  unavailable(): string | undefined {
    if (!this.activity.running) return 'the webhook channel is not running (the gateway starts it)';
    if (this.handlers.size === 0) return 'nothing consumes webhook messages yet (the gateway subscribes when it starts)';
    return undefined;
  }

  /** Hands the message to every handler in the background. */
  deliver(message: InboundMessage): void {
    const handlers = [...this.handlers];
    void this.tasks
      .run(`webhook message ${message.externalId}`, async () => {
        const results = await Promise.allSettled(handlers.map((handle) => handle(message)));
        for (const result of results) {
          if (result.status === 'rejected') {
            this.logger.error(`a webhook message handler failed: ${(result.reason as Error)?.message ?? String(result.reason)}`, { account: message.accountId, messageId: message.externalId });
          }
        }
      })
      .catch((error: unknown) => this.logger.error(`could not hand over webhook message: ${(error as Error).message}`, { messageId: message.externalId }));
  }

  /**
   * Sessions are scoped by the integrator's conversation id, within the account: two accounts
   * that both use conversation "1" are different integrators and must not share a session.
   */
  conversationId(message: InboundMessage): string {
    const conversation = message.metadata?.conversation_id;
    if (typeof conversation !== 'string' || conversation === '') {
      throw new Error(`webhook message ${message.externalId} has no metadata.conversation_id; it did not come from the webhook channel`);
    }
    return `${message.accountId}:${conversation}`;
  }
}
