import { PAIRING_CODE_ALPHABET, PAIRING_CODE_LENGTH } from '../../contracts/index.js';
import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import type { StoreSet } from '../store-set.js';
import type { SteppingClock } from './stepping-clock.js';

const HOUR = 60 * 60 * 1000;
const sender = (senderId: string, fields: { channel?: string; accountId?: string; senderName?: string; ttlMs?: number } = {}) => ({
  channel: fields.channel ?? 'telegram',
  accountId: fields.accountId ?? 'main',
  senderId,
  ...(fields.senderName === undefined ? {} : { senderName: fields.senderName }),
  ttlMs: fields.ttlMs ?? HOUR,
});

export function channelPairingContract({ it, expect }: ContractTestApi, stores: () => StoreSet, clock: () => SteppingClock): void {
  it('gives an unknown sender a short code from the unambiguous alphabet, valid for the ttl', async () => {
    const before = clock().now();
    const { request, created } = await stores().channelPairings.request(sender('42', { senderName: 'Ada' }));
    expect(created).toBe(true);
    expect(request).toMatchObject({ channel: 'telegram', accountId: 'main', senderId: '42', senderName: 'Ada', status: 'pending' });
    expect(request.code).toHaveLength(PAIRING_CODE_LENGTH);
    for (const character of request.code) expect(PAIRING_CODE_ALPHABET).toContain(character);
    expect(request.requestedAt).toBeGreaterThanOrEqual(before);
    expect(request.expiresAt).toBe(request.requestedAt + HOUR);
    expect(request.decidedAt).toBeUndefined();
  });

  it('keeps one pending code per sender: asking again, or many times at once, gets the same code', async () => {
    const pairings = stores().channelPairings;
    const first = await pairings.request(sender('42'));
    const again = await pairings.request(sender('42'));
    expect(again).toEqual({ request: first.request, created: false });
    const racing = await Promise.all(Array.from({ length: 8 }, () => pairings.request(sender('77'))));
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.request.code)).size).toBe(1);
    expect(await pairings.list({ status: 'pending' })).toHaveLength(2);
  });

  it('draws different codes for different senders (codes are random, not derived)', async () => {
    const pairings = stores().channelPairings;
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await pairings.request(sender(`s${i}`))).request.code);
    expect(codes.size).toBe(20);
  });

  it('approves a pending code, in any case and with a dash, and lets only that sender in', async () => {
    const pairings = stores().channelPairings;
    const { request } = await pairings.request(sender('42'));
    await pairings.request(sender('43'));
    expect(await pairings.isApproved('telegram', 'main', '42')).toBe(false);
    clock().advance(1_000);
    const typed = `${request.code.slice(0, 4).toLowerCase()}-${request.code.slice(4)}`;
    const decided = await pairings.decide('telegram', typed, 'approved');
    expect(decided).toMatchObject({ senderId: '42', code: request.code, status: 'approved' });
    expect(decided?.decidedAt).toBeGreaterThanOrEqual(request.requestedAt + 1_000);
    expect(await pairings.isApproved('telegram', 'main', '42')).toBe(true);
    expect(await pairings.isApproved('telegram', 'main', '43')).toBe(false);
    expect(await pairings.isApproved('telegram', 'other', '42')).toBe(false);
    expect(await pairings.isApproved('slack', 'main', '42')).toBe(false);
    // An approved sender who writes again is not given a code.
    expect(await pairings.request(sender('42'))).toMatchObject({ created: false, request: { status: 'approved' } });
  });

  it('decides a code once, and only on its own channel', async () => {
    const pairings = stores().channelPairings;
    const { request } = await pairings.request(sender('42'));
    expect(await pairings.decide('slack', request.code, 'approved')).toBeUndefined();
    expect(await pairings.decide('telegram', request.code, 'denied')).toMatchObject({ status: 'denied' });
    expect(await pairings.decide('telegram', request.code, 'approved')).toBeUndefined();
    expect(await pairings.isApproved('telegram', 'main', '42')).toBe(false);
  });

  it('finds no unknown or malformed code', async () => {
    const pairings = stores().channelPairings;
    await pairings.request(sender('42'));
    for (const code of ['ZZZZZZZZ', 'short', 'O0I1O0I1', 'ABCDEFGHJ']) expect(await pairings.decide('telegram', code, 'approved'), code).toBeUndefined();
  });

  it('lets a code expire: it can no longer be decided, is not listed, and the sender gets a new one', async () => {
    const pairings = stores().channelPairings;
    const first = await pairings.request(sender('42', { ttlMs: 60_000 }));
    clock().advance(60_000);
    expect(await pairings.decide('telegram', first.request.code, 'approved')).toBeUndefined();
    expect(await pairings.list({ channel: 'telegram' })).toEqual([]);
    const second = await pairings.request(sender('42', { ttlMs: 60_000 }));
    expect(second.created).toBe(true);
    expect(second.request.code).not.toBe(first.request.code);
    expect(await pairings.decide('telegram', second.request.code, 'approved')).toMatchObject({ status: 'approved' });
  });

  it('gives a denied sender who writes again a fresh code', async () => {
    const pairings = stores().channelPairings;
    const first = await pairings.request(sender('42'));
    await pairings.decide('telegram', first.request.code, 'denied');
    const second = await pairings.request(sender('42'));
    expect(second.created).toBe(true);
    expect(second.request.status).toBe('pending');
    expect(second.request.code).not.toBe(first.request.code);
    expect(second.request.decidedAt).toBeUndefined();
  });

  it('lists newest first, by channel and by status', async () => {
    const pairings = stores().channelPairings;
    await pairings.request(sender('a'));
    clock().advance(1_000);
    const b = await pairings.request(sender('b', { channel: 'slack', accountId: 'work' }));
    clock().advance(1_000);
    const c = await pairings.request(sender('c'));
    await pairings.decide('telegram', c.request.code, 'approved');
    expect((await pairings.list()).map((r) => r.senderId)).toEqual(['c', 'b', 'a']);
    expect((await pairings.list({ channel: 'telegram' })).map((r) => r.senderId)).toEqual(['c', 'a']);
    expect((await pairings.list({ status: 'pending' })).map((r) => r.senderId)).toEqual(['b', 'a']);
    expect(await pairings.list({ channel: 'slack', status: 'pending' })).toEqual([b.request]);
    expect(await pairings.list({ status: 'denied' })).toEqual([]);
  });

  it('revokes an approval, and only an approval', async () => {
    const pairings = stores().channelPairings;
    const { request } = await pairings.request(sender('42'));
    expect(await pairings.revoke('telegram', 'main', '42')).toBe(false);
    await pairings.decide('telegram', request.code, 'approved');
    expect(await pairings.revoke('telegram', 'main', '42')).toBe(true);
    expect(await pairings.isApproved('telegram', 'main', '42')).toBe(false);
    expect(await pairings.revoke('telegram', 'main', '42')).toBe(false);
    expect((await pairings.request(sender('42'))).created).toBe(true);
  });

  it('refuses what no store can keep, naming the field', async () => {
    const pairings = stores().channelPairings;
    await expect(pairings.request(sender('nul\u0000id'))).rejects.toMatchObject({ code: 'validation', field: 'input.senderId' });
    await expect(pairings.request(sender(''))).rejects.toMatchObject({ code: 'validation', field: 'input.senderId' });
    await expect(pairings.request(sender('42', { channel: '' }))).rejects.toMatchObject({ code: 'validation', field: 'input.channel' });
    for (const ttlMs of [0, -5, 1.5, Number.NaN]) await expect(pairings.request(sender('42', { ttlMs }))).rejects.toMatchObject({ code: 'validation', field: 'input.ttlMs' });
    await expect(pairings.decide('telegram', 'ABCDEFGH', 'maybe' as 'approved')).rejects.toMatchObject({ code: 'validation', field: 'decision' });
    await expect(pairings.list({ status: 'expired' as 'pending' })).rejects.toMatchObject({ code: 'validation', field: 'options.status' });
  });
}
