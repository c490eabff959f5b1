import { ChannelPairingStoreToken, type ChannelPairingStore, type PairingRequest } from '@nexus/plugin-sdk';

/**
 * An in-test implementation of the `ChannelPairingStore` contract (the database-backed one comes
 * with `nexus channels`): a sender's pending code is reused while unexpired, codes are decided
 * once, and approvals are per channel and account.
 */
export class TestPairingStore implements ChannelPairingStore {
  readonly requests: PairingRequest[] = [];
  private sequence = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async request(input: { readonly channel: string; readonly accountId: string; readonly senderId: string; readonly senderName?: string; readonly ttlMs: number }) {
    const now = this.now();
    const pending = this.requests.find((r) => r.channel === input.channel && r.accountId === input.accountId && r.senderId === input.senderId && r.status === 'pending' && r.expiresAt > now);
    if (pending) return { request: pending, created: false };
    const request: PairingRequest = {
      channel: input.channel,
      accountId: input.accountId,
      senderId: input.senderId,
      ...(input.senderName ? { senderName: input.senderName } : {}),
      code: `PAIR${String(++this.sequence).padStart(4, '0')}`,
      status: 'pending',
      requestedAt: now,
      expiresAt: now + input.ttlMs,
    };
    this.requests.push(request);
    return { request, created: true };
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    return this.requests.some((r) => r.channel === channel && r.accountId === accountId && r.senderId === senderId && r.status === 'approved');
  }

  async decide(channel: string, code: string, decision: 'approved' | 'denied'): Promise<PairingRequest | undefined> {
    const index = this.requests.findIndex((r) => r.channel === channel && r.code === code && r.status === 'pending' && r.expiresAt > this.now());
    if (index < 0) return undefined;
    const decided: PairingRequest = { ...this.requests[index]!, status: decision, decidedAt: this.now() };
    this.requests[index] = decided;
    return decided;
  }

  async list(options: { readonly channel?: string; readonly status?: PairingRequest['status'] } = {}): Promise<readonly PairingRequest[]> {
    return this.requests.filter((r) => (options.channel === undefined || r.channel === options.channel) && (options.status === undefined || r.status === options.status)).reverse();
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const index = this.requests.findIndex((r) => r.channel === channel && r.accountId === accountId && r.senderId === senderId && r.status === 'approved');
    if (index < 0) return false;
    this.requests[index] = { ...this.requests[index]!, status: 'denied' };
    return true;
  }
}

/** The service entry that binds a pairing store in a test kernel. */
export function pairingService(store: ChannelPairingStore): readonly [typeof ChannelPairingStoreToken, ChannelPairingStore] {
  return [ChannelPairingStoreToken, store] as const;
}
