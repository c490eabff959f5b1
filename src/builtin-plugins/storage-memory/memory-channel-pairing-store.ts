import type { ChannelPairingStore, Clock, PairingRequest } from '@nexus/plugin-sdk';
import { checkDecision, checkName, checkPairingCode, checkPairingInput, checkPairingStatus, newPairingCode } from '@nexus/plugin-sdk/storage';

/** Requests by (channel, account, sender); JavaScript runs one call at a time, so each is atomic. */
export class MemoryChannelPairingStore implements ChannelPairingStore {
  private readonly requests = new Map<string, PairingRequest>();

  constructor(private readonly clock: Clock) {}

  async request(input: Parameters<ChannelPairingStore['request']>[0]): Promise<{ readonly request: PairingRequest; readonly created: boolean }> {
    const checked = checkPairingInput(input);
    const key = keyOf(checked.channel, checked.accountId, checked.senderId);
    const now = this.clock.now();
    const earlier = this.requests.get(key);
    if (earlier && (earlier.status === 'approved' || (earlier.status === 'pending' && earlier.expiresAt > now))) return { request: { ...earlier }, created: false };
    const request: PairingRequest = {
      channel: checked.channel,
      accountId: checked.accountId,
      senderId: checked.senderId,
      ...(checked.senderName ? { senderName: checked.senderName } : {}),
      code: this.freshCode(),
      status: 'pending',
      requestedAt: now,
      expiresAt: now + checked.ttlMs,
    };
    this.requests.set(key, request);
    return { request: { ...request }, created: true };
  }

  async isApproved(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const key = keyOf(checkName('channel', channel), checkName('accountId', accountId), checkName('senderId', senderId));
    return this.requests.get(key)?.status === 'approved';
  }

  async decide(channel: string, code: string, decision: 'approved' | 'denied'): Promise<PairingRequest | undefined> {
    const name = checkName('channel', channel);
    const status = checkDecision(decision);
    const normalized = checkPairingCode(code);
    if (!normalized) return undefined;
    const now = this.clock.now();
    for (const [key, request] of this.requests) {
      if (request.channel === name && request.code === normalized && request.status === 'pending' && request.expiresAt > now) {
        const decided: PairingRequest = { ...request, status, decidedAt: now };
        this.requests.set(key, decided);
        return { ...decided };
      }
    }
    return undefined;
  }

  async list(options: { readonly channel?: string; readonly status?: PairingRequest['status'] } = {}): Promise<readonly PairingRequest[]> {
    const channel = options.channel === undefined ? undefined : checkName('options.channel', options.channel);
    const status = checkPairingStatus(options.status);
    const now = this.clock.now();
    return [...this.requests.values()]
      .filter((r) => (channel === undefined || r.channel === channel) && (status === undefined || r.status === status) && (r.status !== 'pending' || r.expiresAt > now))
      .sort((a, b) => b.requestedAt - a.requestedAt || compare(a.channel, b.channel) || compare(a.accountId, b.accountId) || compare(a.senderId, b.senderId))
      .map((r) => ({ ...r }));
  }

  async revoke(channel: string, accountId: string, senderId: string): Promise<boolean> {
    const key = keyOf(checkName('channel', channel), checkName('accountId', accountId), checkName('senderId', senderId));
    if (this.requests.get(key)?.status !== 'approved') return false;
    this.requests.delete(key);
    return true;
  }

  /** A code no live pending request holds (the SQL stores' partial unique index, here by looking). */
  private freshCode(): string {
    const taken = new Set([...this.requests.values()].filter((r) => r.status === 'pending').map((r) => r.code));
    for (;;) {
      const code = newPairingCode();
      if (!taken.has(code)) return code;
    }
  }
}

/** NUL cannot occur in stored text, so it separates the parts unambiguously. */
function keyOf(channel: string, accountId: string, senderId: string): string {
  return `${channel}\u0000${accountId}\u0000${senderId}`;
}

/** Code-unit order, as the SQL stores sort text (binary collation on SQLite; C order in the tests' PostgreSQL). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
