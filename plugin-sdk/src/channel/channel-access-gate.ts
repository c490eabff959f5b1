import type { ChannelPairingStore, InboundMessage, Logger } from '../contracts/index.js';
import { decideAccess, type AccessPolicy, type DenyReason } from './access-policy.js';

/** Pairing codes stop working an hour after they are issued. */
export const PAIRING_CODE_TTL_MS = 60 * 60_000;

export interface ChannelAccessGateOptions {
  readonly channel: string;
  readonly accountId: string;
  readonly policy: AccessPolicy;
  /** The pairing store of the storage slot's occupant; undefined when none is enabled. */
  readonly pairings: () => Promise<ChannelPairingStore | undefined>;
  /**
   * Tells an unknown DM sender their pairing code (a reply in the same chat). `text` is plain;
   * `code` is given apart for a platform that shows it in its own markup (monospace, to copy).
   */
  readonly sendPairingCode: (message: InboundMessage, text: string, code: string) => Promise<void>;
  readonly logger: Logger;
  /** How the platform names the sender, for `nexus channels pair list`. */
  readonly senderName?: (message: InboundMessage) => string | undefined;
  readonly pairingTtlMs?: number;
}

/** Why messages were refused, counted per reason (`pairing` for codes issued or pending). */
export type RefusalCounts = Readonly<Partial<Record<DenyReason | 'pairing', number>>>;

/**
 * The access policy in front of a channel account's handlers: `decideAccess` on the message's
 * metadata, with the operator's pairing approvals from the database. A refused message is
 * counted by reason and goes no further; an unknown DM sender under `pairing` gets a one-time
 * code once (writing again while it is pending sends nothing more).
 *
 * It reads the metadata every Nexus chat channel sets: `is_dm` (a direct message), `group_id`
 * (the group a message was written in), and `mentioned` or `in_bot_thread` (the message is
 * addressed to the bot).
 */
export class ChannelAccessGate {
  private readonly refusals: Partial<Record<DenyReason | 'pairing', number>> = {};
  private warnedNoStore = false;

  constructor(private readonly options: ChannelAccessGateOptions) {}

  /** Refusals so far, by reason. */
  get refused(): RefusalCounts {
    return { ...this.refusals };
  }

  /** Whether the message may reach the runtime. Never throws: a failure refuses, and is logged. */
  async admit(message: InboundMessage): Promise<boolean> {
    try {
      return await this.decide(message);
    } catch (error) {
      this.options.logger.error(`${this.where()}: the access check failed, so the message from ${message.senderId} was refused: ${(error as Error).message}`);
      this.count('misconfigured');
      return false;
    }
  }

  private async decide(message: InboundMessage): Promise<boolean> {
    const { policy, channel, accountId } = this.options;
    const meta = message.metadata ?? {};
    const direct = meta.is_dm === true;
    const groupId = typeof meta.group_id === 'string' ? meta.group_id : undefined;
    const mentioned = meta.mentioned === true || meta.in_bot_thread === true;
    const pairing = direct && policy.dmPolicy === 'pairing' && !policy.allowFrom.includes('*') && !policy.allowFrom.includes(message.senderId);
    const store = pairing ? await this.store() : undefined;
    const paired = store ? await store.isApproved(channel, accountId, message.senderId) : false;
    const decision = decideAccess({ chatType: direct ? 'direct' : 'group', senderId: message.senderId, ...(groupId ? { groupId } : {}), mentioned, paired, policy });
    if (decision.decision === 'allow') return true;
    if (decision.decision === 'deny') {
      this.count(decision.reason);
      this.options.logger.debug(`${this.where()}: refused a message from ${message.senderId}: ${decision.message}`);
      return false;
    }
    this.count('pairing');
    if (!store) return false;
    const senderName = this.options.senderName?.(message);
    const ttlMs = this.options.pairingTtlMs ?? PAIRING_CODE_TTL_MS;
    const { request, created } = await store.request({ channel, accountId, senderId: message.senderId, ...(senderName ? { senderName } : {}), ttlMs });
    if (created) {
      this.options.logger.info(`${this.where()}: ${senderName ?? message.senderId} asked to pair; approve with: nexus channels pair approve ${channel} ${request.code}`);
      await this.options.sendPairingCode(message, pairingCodeText(channel, request.code, ttlMs), request.code);
    }
    return false;
  }

  private async store(): Promise<ChannelPairingStore | undefined> {
    const store = await this.options.pairings();
    if (!store && !this.warnedNoStore) {
      this.warnedNoStore = true;
      this.options.logger.warn(`${this.where()}: dm_policy is pairing but no storage plugin keeps pairing approvals, so unknown DM senders are refused; enable a storage plugin (storage-sqlite is the default) or list the senders in allow_from`);
    }
    return store;
  }

  private count(reason: DenyReason | 'pairing'): void {
    this.refusals[reason] = (this.refusals[reason] ?? 0) + 1;
  }

  private where(): string {
    return `${this.options.channel}/${this.options.accountId}`;
  }
}

/** What an unknown DM sender is told, with how long the code works. */
export function pairingCodeText(channel: string, code: string, ttlMs = PAIRING_CODE_TTL_MS): string {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000));
  const expiry = minutes === 60 ? 'an hour' : `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `I don't know you yet. Your pairing code is ${code}. Ask the operator of this bot to approve it with: nexus channels pair approve ${channel} ${code} (the code expires in ${expiry}).`;
}
