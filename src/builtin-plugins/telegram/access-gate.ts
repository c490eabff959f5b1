import { decideAccess, escapeTelegramHtml, type AccessPolicy } from '@nexus/plugin-sdk/channel';
import type { ChannelPairingStore, Logger } from '@nexus/plugin-sdk';
import type { AccountActivity } from './account-activity.js';
import type { NormalisedMessage } from './update-normaliser.js';

/** How long a pairing code works: an hour, as OpenClaw's pairing does. */
export const PAIRING_TTL_MS = 60 * 60_000;

export interface AccessGateDeps {
  readonly accountId: string;
  readonly policy: AccessPolicy;
  /** The pairing store (`nexus.store.channel-pairings`); undefined when no storage plugin provides one. */
  readonly pairings: () => Promise<ChannelPairingStore | undefined>;
  readonly activity: AccountActivity;
  readonly logger: Logger;
  /** Answers the sender in the chat the message came from (HTML). */
  readonly reply: (message: NormalisedMessage, html: string) => Promise<void>;
  readonly pairingTtlMs?: number;
}

/**
 * Who may reach the agent through one bot: `decideAccess` over the account's policy, with
 * pairing for unknown DM senders. An unknown sender under `dm_policy: pairing` gets a one-time
 * code (once, not on every message) and nothing else until the operator approves it with
 * `nexus channels pair approve telegram <code>`. Without a pairing store the gate fails closed.
 * A refused message is logged at debug level with the reason; it never reaches the runtime.
 */
export class AccessGate {
  constructor(private readonly deps: AccessGateDeps) {}

  async admit(message: NormalisedMessage): Promise<boolean> {
    const { policy, accountId, logger } = this.deps;
    const direct = message.chatType === 'private';
    const request = { chatType: direct ? ('direct' as const) : ('group' as const), senderId: message.senderId, ...(direct ? {} : { groupId: String(message.chatId) }), mentioned: message.mentioned, policy };
    let decision = decideAccess(request);
    if (decision.decision === 'pair') {
      const store = await this.deps.pairings();
      if (!store) {
        logger.warn('dm_policy is pairing but no storage plugin provides channel pairings (nexus.store.channel-pairings), so the DM is refused; enable a storage plugin or use dm_policy: allowlist', { account: accountId, sender: message.senderId });
        return false;
      }
      if (await store.isApproved('telegram', accountId, message.senderId)) decision = decideAccess({ ...request, paired: true });
      else {
        await this.offerCode(store, message);
        return false;
      }
    }
    if (decision.decision === 'allow') return true;
    if (decision.decision === 'deny') logger.debug(`Telegram message refused: ${decision.message}`, { account: accountId, messageId: message.externalId, reason: decision.reason });
    return false;
  }

  private async offerCode(store: ChannelPairingStore, message: NormalisedMessage): Promise<void> {
    const { accountId, logger, activity } = this.deps;
    const ttlMs = this.deps.pairingTtlMs ?? PAIRING_TTL_MS;
    const senderName = typeof message.metadata.sender_name === 'string' ? message.metadata.sender_name : typeof message.metadata.sender_username === 'string' ? `@${message.metadata.sender_username}` : undefined;
    const { request, created } = await store.request({ channel: 'telegram', accountId, senderId: message.senderId, ...(senderName ? { senderName } : {}), ttlMs });
    // A sender who writes again while the code is pending is not told again: one code, one message.
    if (!created) return;
    logger.info('an unknown Telegram user asked to talk to the agent; approve them with `nexus channels pair approve telegram <code>` (see `nexus channels pair list`)', { account: accountId, sender: message.senderId });
    const minutes = Math.max(1, Math.round(ttlMs / 60_000));
    await this.deps.reply(
      message,
      `I don't know you yet, so I can't answer. Your pairing code is <code>${escapeTelegramHtml(request.code)}</code>.\n` +
        `Ask the operator of this bot to run:\n<code>nexus channels pair approve telegram ${escapeTelegramHtml(request.code)}</code>\n` +
        `The code expires in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    );
    activity.counters.pairingCodesSent++;
  }
}
