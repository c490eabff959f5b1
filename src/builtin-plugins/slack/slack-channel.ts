import type { ChannelInbound, ChannelLifecycle, ConversationResolver, InboundMessage, Logger } from '@nexus/plugin-sdk';
import { slackConversationId, type SlackScope } from './engine/index.js';
import type { SlackAccountEntry } from './slack-accounts.js';

type Handler = (message: InboundMessage) => Promise<void>;

/** How often `start` looks whether the accounts have connected. */
const START_POLL_MS = 25;

/** The longest `start` waits for the first connections; the accounts keep connecting after it returns. */
const START_WAIT_MS = 15_000;

/**
 * The channel's lifecycle, inbound and conversation capabilities over every configured
 * account: `start` connects them all (each keeps reconnecting on its own), handlers hear every
 * account's admitted messages, and sessions are per thread or per channel (`session.slack_scope`).
 */
export class SlackChannel implements ChannelLifecycle, ChannelInbound, ConversationResolver {
  constructor(
    private readonly accounts: ReadonlyMap<string, SlackAccountEntry>,
    private readonly scope: SlackScope,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts every account and waits (within `signal`, and at most 15 s, so an unreachable
   * platform does not hold up the gateway) until each has connected or failed. It throws only
   * when every account failed, with each one's reason; an account still connecting when the
   * wait ends keeps connecting in the background.
   */
  async start(signal: AbortSignal): Promise<void> {
    const entries = [...this.accounts.values()];
    await Promise.all(entries.map((entry) => entry.engine.start()));
    const waiting = AbortSignal.any([signal, AbortSignal.timeout(START_WAIT_MS)]);
    while (!waiting.aborted && entries.some((entry) => !settled(entry))) {
      await new Promise((resolve) => setTimeout(resolve, START_POLL_MS));
    }
    const failed = entries.filter((entry) => entry.engine.status().state === 'failed');
    for (const entry of failed) this.logger.error(`slack/${entry.name} could not connect: ${entry.engine.status().error ?? 'unknown error'}`);
    if (entries.length > 0 && failed.length === entries.length) {
      throw new Error(failed.map((entry) => `slack/${entry.name}: ${entry.engine.status().error ?? 'could not connect'}`).join('; '));
    }
  }

  async stop(): Promise<void> {
    await Promise.all([...this.accounts.values()].map((entry) => entry.engine.stop()));
  }

  onMessage(handler: Handler): () => void {
    const unsubscribes = [...this.accounts.values()].map((entry) => entry.engine.onMessage(handler));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  }

  conversationId(message: InboundMessage): string {
    return slackConversationId(message, this.scope);
  }
}

function settled(entry: SlackAccountEntry): boolean {
  const state = entry.engine.status().state;
  return state === 'connected' || state === 'failed';
}
