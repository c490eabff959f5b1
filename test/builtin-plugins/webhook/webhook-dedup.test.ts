import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../http/http-test-kit.js';
import { message, postSigned, SECRET, startWebhook } from './webhook-test-kit.js';

const ACCOUNTS = { accounts: { acme: { secret: SECRET }, globex: { secret: SECRET } } };

/** The real time, moved on by the test: the de-duplication window without waiting for it. */
class SteppingClock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}

describe('webhook channel: message_id de-duplication', () => {
  it('runs a message sent twice with one message_id once: the repeat answers 200 with the first message id; messages without one are all taken', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    expect(await postSigned(url, 'acme', message({ message_id: 'ext-1', content: 'first' }))).toEqual({ status: 202, body: { accepted: true, message_id: 'ext-1' } });
    const repeat = await postSigned(url, 'acme', message({ message_id: 'ext-1', content: 'first, retried' }));
    expect(repeat).toEqual({ status: 200, body: { accepted: true, duplicate: true, message_id: 'ext-1', first_received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    // Another id, or the same id from another account, is another message.
    expect((await postSigned(url, 'acme', message({ message_id: 'ext-2' }))).status).toBe(202);
    expect((await postSigned(url, 'globex', message({ message_id: 'ext-1' }))).status).toBe(202);
    await expect.poll(() => received.length).toBe(3);
    expect(received.map((m) => [m.accountId, m.externalId, m.content])).toEqual([
      ['acme', 'ext-1', 'first'],
      ['acme', 'ext-2', 'hello there'],
      ['globex', 'ext-1', 'hello there'],
    ]);
    // Without a message_id there is nothing to recognise a retry by: each message gets an id of its own.
    const [one, two] = [await postSigned(url, 'acme', message({ content: 'one' })), await postSigned(url, 'acme', message({ content: 'two' }))];
    expect([one.status, two.status]).toEqual([202, 202]);
    expect(one.body.message_id).not.toBe(two.body.message_id);
    await expect.poll(() => received.length).toBe(5);
  });

  it('remembers message ids in the database, so a retry after a restart runs no second turn', async () => {
    const database = { path: join(tempDir(), 'nexus.db') };
    const before = await startWebhook(ACCOUNTS, { database });
    expect((await postSigned(before.url, 'acme', message({ message_id: 'ext-restart' }))).status).toBe(202);
    await expect.poll(() => before.received.length).toBe(1);
    await before.kernel.stop();

    const after = await startWebhook(ACCOUNTS, { database });
    expect(await postSigned(after.url, 'acme', message({ message_id: 'ext-restart' }))).toMatchObject({ status: 200, body: { duplicate: true, message_id: 'ext-restart' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(after.received).toEqual([]);
  });

  it('takes a message_id again once channels.webhook.dedup_window_seconds has passed', async () => {
    const clock = new SteppingClock();
    const { url, received } = await startWebhook({ ...ACCOUNTS, dedup_window_seconds: 60, max_skew_seconds: 3600 }, { clock });
    // Each delivery is signed afresh (a byte-identical request would be refused as a replay).
    expect((await postSigned(url, 'acme', message({ message_id: 'ext-w', content: 'try 1' }))).status).toBe(202);
    clock.advance(59_000);
    expect((await postSigned(url, 'acme', message({ message_id: 'ext-w', content: 'try 2' }))).status).toBe(200);
    clock.advance(2_000);
    expect((await postSigned(url, 'acme', message({ message_id: 'ext-w', content: 'try 3' }))).status).toBe(202);
    await expect.poll(() => received.length).toBe(2);
  });

  it('answers 503 store_unavailable, accepting nothing, when no storage plugin can keep the receipts', async () => {
    const { url, received } = await startWebhook(ACCOUNTS, { database: false });
    const reply = await postSigned(url, 'acme', message({ message_id: 'ext-nostore' }));
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'store_unavailable', message: expect.stringContaining('no storage plugin is enabled') } } });
    expect(received).toEqual([]);
  });
});
