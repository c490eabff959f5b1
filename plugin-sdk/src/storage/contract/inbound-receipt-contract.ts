import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';
import type { StoreSet } from '../store-set.js';
import type { SteppingClock } from './stepping-clock.js';

const DAY = 24 * 60 * 60 * 1000;
const receipt = (externalId: string, messageId = externalId, fields: { channel?: string; accountId?: string } = {}) => ({
  channel: fields.channel ?? 'webhook',
  accountId: fields.accountId ?? 'acme',
  externalId,
  messageId,
});

export function inboundReceiptContract({ it, expect }: ContractTestApi, stores: () => StoreSet, clock: () => SteppingClock): void {
  it('claims a message once; a second claim within the window gets the first receipt back', async () => {
    const receipts = stores().inboundReceipts;
    const before = clock().now();
    expect(await receipts.claim(receipt('ext-1', 'first'), { windowMs: DAY })).toEqual({ claimed: true });
    const again = await receipts.claim(receipt('ext-1', 'second'), { windowMs: DAY });
    expect(again).toEqual({ claimed: false, original: { channel: 'webhook', accountId: 'acme', externalId: 'ext-1', messageId: 'first', receivedAt: expect.any(Number) } });
    if (!again.claimed) expect(again.original.receivedAt).toBeGreaterThanOrEqual(before);
  });

  it('tells messages apart by channel, account and external id, compared exactly', async () => {
    const receipts = stores().inboundReceipts;
    await receipts.claim(receipt('ext-1'), { windowMs: DAY });
    for (const other of [receipt('ext-1', 'x', { accountId: 'globex' }), receipt('ext-1', 'x', { channel: 'telegram' }), receipt('EXT-1'), receipt('ext-1 ')]) {
      expect(await receipts.claim(other, { windowMs: DAY }), JSON.stringify(other)).toEqual({ claimed: true });
    }
  });

  it('forgets a receipt once the window has passed, and takes the message as new', async () => {
    const receipts = stores().inboundReceipts;
    await receipts.claim(receipt('ext-1', 'first'), { windowMs: 60_000 });
    clock().advance(59_000);
    expect((await receipts.claim(receipt('ext-1', 'second'), { windowMs: 60_000 })).claimed).toBe(false);
    clock().advance(2_000);
    expect(await receipts.claim(receipt('ext-1', 'third'), { windowMs: 60_000 })).toEqual({ claimed: true });
    const now = await receipts.claim(receipt('ext-1', 'fourth'), { windowMs: 60_000 });
    expect(now).toMatchObject({ claimed: false, original: { messageId: 'third' } });
  });

  it('lets exactly one of many concurrent claims of one message win', async () => {
    const receipts = stores().inboundReceipts;
    const outcomes = await Promise.all(Array.from({ length: 12 }, (_, i) => receipts.claim(receipt('ext-race', `m${i}`), { windowMs: DAY })));
    const winners = outcomes.filter((o) => o.claimed);
    expect(winners).toHaveLength(1);
    const ids = new Set(outcomes.flatMap((o) => (o.claimed ? [] : [o.original.messageId])));
    expect(ids.size).toBe(1);
  });

  it("prunes one channel's receipts older than a time, leaving the rest", async () => {
    const receipts = stores().inboundReceipts;
    await receipts.claim(receipt('old'), { windowMs: DAY });
    await receipts.claim(receipt('other-channel', 'x', { channel: 'telegram' }), { windowMs: DAY });
    clock().advance(10_000);
    const cutoff = clock().now();
    await receipts.claim(receipt('new'), { windowMs: DAY });
    expect(await receipts.prune('webhook', cutoff)).toBe(1);
    expect((await receipts.claim(receipt('old'), { windowMs: DAY })).claimed).toBe(true);
    expect((await receipts.claim(receipt('new'), { windowMs: DAY })).claimed).toBe(false);
    expect((await receipts.claim(receipt('other-channel', 'x', { channel: 'telegram' }), { windowMs: DAY })).claimed).toBe(false);
  });

  it('refuses what no store can keep, naming the field, and a window that is not a positive whole number', async () => {
    const receipts = stores().inboundReceipts;
    await expect(receipts.claim(receipt('nul\u0000id'), { windowMs: DAY })).rejects.toMatchObject({ code: 'validation', field: 'receipt.externalId' });
    await expect(receipts.claim(receipt('x'.repeat(1001)), { windowMs: DAY })).rejects.toMatchObject({ code: 'validation', field: 'receipt.externalId' });
    await expect(receipts.claim(receipt(''), { windowMs: DAY })).rejects.toMatchObject({ code: 'validation', field: 'receipt.externalId' });
    await expect(receipts.claim(receipt('ok', 'ok', { channel: '' }), { windowMs: DAY })).rejects.toMatchObject({ code: 'validation', field: 'receipt.channel' });
    for (const windowMs of [0, -5, 1.5, Number.NaN]) {
      await expect(receipts.claim(receipt('ok'), { windowMs })).rejects.toMatchObject({ code: 'validation', field: 'options.windowMs' });
    }
    await expect(receipts.prune('webhook', Number.NaN)).rejects.toMatchObject({ code: 'validation', field: 'before' });
  });
}
