import { describe, expect, it } from 'vitest';
import type { ChannelPairingStore, InboundClaim, InboundMessage, InboundReceiptStore, NewInboundReceipt } from '../../../plugin-sdk/src/contracts/index.js';
import { MemoryLogger } from '../../../plugin-sdk/src/testing/index.js';
import { ChannelAccessGate, pairingCodeText, PacedRateGate, ReceiptDeduplicator, RetryAfterGate, sleep, StreamedReply, TokenBucket, type ReplyTransport } from '../../../plugin-sdk/src/channel/index.js';
import { MemoryChannelPairingStore } from '../../../src/builtin-plugins/storage-memory/memory-channel-pairing-store.js';
import { ManualTimers, settle } from './manual-timers.js';

const message = (senderId: string, metadata: Record<string, unknown>): InboundMessage => ({ channel: 'chat', accountId: 'a', externalId: 'm', senderId, content: 'hi', metadata, receivedAt: 0 });

describe('ChannelAccessGate', () => {
  const policy = { dmPolicy: 'pairing', groupPolicy: 'allowlist', allowFrom: ['friend'], requireMention: true } as const;

  it('admits allowed senders, refuses the rest by reason, and pairs unknown DM senders once', async () => {
    const pairings = new MemoryChannelPairingStore({ now: () => Date.now() });
    const told: string[] = [];
    const gate = new ChannelAccessGate({ channel: 'chat', accountId: 'a', policy, pairings: async () => pairings, sendPairingCode: async (_m, text) => void told.push(text), logger: new MemoryLogger() });
    expect(await gate.admit(message('friend', { is_dm: true }))).toBe(true);
    expect(await gate.admit(message('friend', { is_dm: false, group_id: 'g', mentioned: false }))).toBe(false);
    expect(await gate.admit(message('friend', { is_dm: false, group_id: 'g', in_bot_thread: true }))).toBe(true);
    expect(await gate.admit(message('other', { is_dm: false, group_id: 'g', mentioned: true }))).toBe(false);
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(false);
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(false);
    const code = (await pairings.list({ channel: 'chat' }))[0]!.code;
    expect(told).toEqual([`I don't know you yet. Your pairing code is ${code}. Ask the operator of this bot to approve it with: nexus channels pair approve chat ${code} (the code expires in an hour).`]);
    expect(gate.refused).toEqual({ mention_required: 1, group_not_allowed: 1, pairing: 2 });
    await pairings.decide('chat', code, 'approved');
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(true);
  });

  it('hands the platform the code apart from the text, says how long a shorter code works, and asks the store nothing for allow_from senders', async () => {
    const pairings = new MemoryChannelPairingStore({ now: () => Date.now() });
    const told: [string, string][] = [];
    const gate = new ChannelAccessGate({ channel: 'chat', accountId: 'a', policy, pairings: async () => pairings, sendPairingCode: async (_m, text, code) => void told.push([text, code]), pairingTtlMs: 5 * 60_000, logger: new MemoryLogger() });
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(false);
    const code = (await pairings.list({ channel: 'chat' }))[0]!.code;
    expect(told).toEqual([[pairingCodeText('chat', code, 5 * 60_000), code]]);
    expect(told[0]![0]).toContain('(the code expires in 5 minutes)');
    const untouchable = new Proxy({} as ChannelPairingStore, { get: () => () => Promise.reject(new Error('the store was asked')) });
    const listed = new ChannelAccessGate({ channel: 'chat', accountId: 'a', policy, pairings: async () => untouchable, sendPairingCode: async () => undefined, logger: new MemoryLogger() });
    expect(await listed.admit(message('friend', { is_dm: true }))).toBe(true);
  });

  it('refuses, counted as misconfigured, when the pairing store fails, rather than letting the sender in', async () => {
    const failing = { isApproved: async () => Promise.reject(new Error('database is locked')) } as unknown as ChannelPairingStore;
    const logger = new MemoryLogger();
    const gate = new ChannelAccessGate({ channel: 'chat', accountId: 'a', policy, pairings: async () => failing, sendPairingCode: async () => undefined, logger });
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(false);
    expect(gate.refused).toEqual({ misconfigured: 1 });
    expect(logger.entries.find((e) => e.level === 'error')?.msg).toBe('chat/a: the access check failed, so the message from stranger was refused: database is locked');
  });

  it('refuses unknown DM senders, with one warning, when no store keeps approvals', async () => {
    const logger = new MemoryLogger();
    const gate = new ChannelAccessGate({ channel: 'chat', accountId: 'a', policy, pairings: async () => undefined, sendPairingCode: async () => undefined, logger });
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(false);
    expect(await gate.admit(message('stranger', { is_dm: true }))).toBe(false);
    expect(logger.entries.filter((e) => e.level === 'warn').map((e) => e.msg)).toEqual([
      'chat/a: dm_policy is pairing but no storage plugin keeps pairing approvals, so unknown DM senders are refused; enable a storage plugin (storage-sqlite is the default) or list the senders in allow_from',
    ]);
  });
});

class MapReceipts implements InboundReceiptStore {
  readonly claims: string[] = [];
  fail = false;
  private readonly seen = new Set<string>();
  async claim(receipt: NewInboundReceipt): Promise<InboundClaim> {
    if (this.fail) throw new Error('database is locked');
    this.claims.push(receipt.externalId);
    if (this.seen.has(receipt.externalId)) return { claimed: false, original: { ...receipt, receivedAt: 0 } };
    this.seen.add(receipt.externalId);
    return { claimed: true };
  }
  async prune(): Promise<number> {
    return 0;
  }
}

describe('ReceiptDeduplicator', () => {
  it('claims each id in the store once per process, and trusts the store for ids another process saw', async () => {
    const receipts = new MapReceipts();
    const options = { channel: 'chat', accountId: 'a', receipts: async () => receipts, windowMs: 60_000, clock: { now: () => 0 }, logger: new MemoryLogger() };
    const first = new ReceiptDeduplicator(options);
    expect(await first.firstSeen('x')).toBe(true);
    expect(await first.firstSeen('x')).toBe(false);
    expect(receipts.claims).toEqual(['x']);
    const afterRestart = new ReceiptDeduplicator(options);
    expect(await afterRestart.firstSeen('x')).toBe(false);
    expect(await afterRestart.firstSeen('y')).toBe(true);
  });

  it('falls back to memory, with one warning, when the store fails: no message is lost', async () => {
    const receipts = new MapReceipts();
    receipts.fail = true;
    const logger = new MemoryLogger();
    const dedup = new ReceiptDeduplicator({ channel: 'chat', accountId: 'a', receipts: async () => receipts, windowMs: 60_000, clock: { now: () => 0 }, logger });
    expect(await dedup.firstSeen('x')).toBe(true);
    expect(await dedup.firstSeen('x')).toBe(false);
    expect(await dedup.firstSeen('y')).toBe(true);
    expect(logger.entries.filter((e) => e.level === 'warn')).toHaveLength(1);
  });

  it('with storeRequired, throws while the store is missing or failing, and takes the redelivery once it answers', async () => {
    const receipts = new MapReceipts();
    const enabled: { store?: InboundReceiptStore } = {};
    const dedup = new ReceiptDeduplicator({ channel: 'chat', accountId: 'a', receipts: async () => enabled.store, windowMs: 60_000, storeRequired: true, clock: { now: () => 0 }, logger: new MemoryLogger() });
    await expect(dedup.firstSeen('x')).rejects.toThrow('chat/a: no storage plugin is enabled, so message x cannot be told apart from a redelivery and is left for the platform to deliver again; enable a storage plugin (storage-sqlite is the default)');
    enabled.store = receipts;
    receipts.fail = true;
    await expect(dedup.firstSeen('x')).rejects.toThrow('the inbound receipt store failed (database is locked)');
    receipts.fail = false;
    expect(await dedup.firstSeen('x')).toBe(true);
    expect(await dedup.firstSeen('x')).toBe(false);
  });
});

describe('PacedRateGate', () => {
  it('waits out a 429 for its key, then takes a token from the account bucket', async () => {
    const timers = new ManualTimers();
    const wait = (ms: number, signal: AbortSignal) => sleep(timers, ms, signal);
    const gate = new PacedRateGate(new TokenBucket({ ratePerSecond: 1, capacity: 1 }, timers), new RetryAfterGate(timers, wait));
    const signal = AbortSignal.timeout(10_000);
    await gate.acquire('post', signal);
    let second = false;
    void gate.acquire('post', signal).then(() => (second = true));
    await timers.advance(999);
    expect(second).toBe(false);
    await timers.advance(1);
    expect(second).toBe(true);
    gate.penalize('post', 5_000);
    let third = false;
    void gate.acquire('post', signal).then(() => (third = true));
    await timers.advance(4_999);
    expect(third).toBe(false);
    await timers.advance(1);
    await settle();
    expect(third).toBe(true);
  });
});

describe('StreamedReply', () => {
  class Platform implements ReplyTransport<number> {
    readonly shown = new Map<number, string>();
    readonly log: string[] = [];
    typingStops = 0;
    private next = 1;
    async send(text: string): Promise<number> {
      const id = this.next++;
      this.shown.set(id, text);
      this.log.push(`send ${id}`);
      return id;
    }
    async edit(id: number, text: string): Promise<void> {
      this.shown.set(id, text);
      this.log.push(`edit ${id}`);
    }
    async remove(id: number): Promise<void> {
      this.shown.delete(id);
      this.log.push(`remove ${id}`);
    }
    externalId(id: number): string {
      return `m${id}`;
    }
    typing(): () => void {
      this.log.push('typing');
      return () => void this.typingStops++;
    }
  }

  const open = (platform: Platform, timers: ManualTimers, limit = 100) =>
    new StreamedReply({ transport: platform, limit, minIntervalMs: 1_000, timers, render: (text) => text.toUpperCase(), signal: AbortSignal.timeout(10_000) });

  it('types, posts the first text, edits it as it grows, and settles the final text', async () => {
    const timers = new ManualTimers();
    const platform = new Platform();
    const reply = open(platform, timers);
    reply.update('hello');
    await timers.advance(0);
    reply.update('hello, world');
    const done = reply.finish('hello, world!');
    await timers.advance(1_000);
    expect(await done).toMatchObject({ externalId: 'm1' });
    expect(platform.log).toEqual(['typing', 'send 1', 'edit 1']);
    expect([...platform.shown.values()]).toEqual(['HELLO, WORLD!']);
    expect(platform.typingStops).toBe(1);
  });

  it('rewrites to a final text that is not what streamed, across messages, deleting what is left over', async () => {
    const timers = new ManualTimers();
    const platform = new Platform();
    const reply = open(platform, timers, 10);
    reply.update('aaaa bbbb cccc dddd eeee');
    await timers.advance(5_000);
    expect(platform.shown.size).toBeGreaterThan(1);
    const done = reply.finish('short');
    await timers.advance(5_000);
    await done;
    expect([...platform.shown.values()]).toEqual(['SHORT']);
  });

  it('deletes the partial reply when abandoned', async () => {
    const timers = new ManualTimers();
    const platform = new Platform();
    const reply = open(platform, timers);
    reply.update('half');
    await timers.advance(0);
    await reply.abandon('cancelled');
    expect(platform.shown.size).toBe(0);
    expect(platform.log).toEqual(['typing', 'send 1', 'remove 1']);
    expect(platform.typingStops).toBe(1);
  });
});
