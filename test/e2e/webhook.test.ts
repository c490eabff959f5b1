import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { fakeLlm, nexusInstance, onCleanup, storedMessages } from './serve-harness.js';

const SECRET = 'an-e2e-webhook-secret-of-32-bytes-or-more';

/** The integrator's callback endpoint: collects the replies Nexus POSTs. */
async function callbackReceiver(): Promise<{ readonly url: string; readonly bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/nexus`, bodies };
}

/** POSTs a message as an integrator does: signed with the account secret at the current second. */
async function post(httpUrl: string, fields: Record<string, unknown>): Promise<{ readonly status: number; readonly body: Record<string, unknown> }> {
  const body = JSON.stringify({ conversation_id: 'ticket-1', sender_id: 'user-7', ...fields });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
  const response = await fetch(`${httpUrl}/channels/webhook/acme`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-nexus-timestamp': timestamp, 'x-nexus-signature': signature },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('e2e: the webhook channel', { timeout: 120_000 }, () => {
  it('runs a message delivered twice, before and after a restart, once: one turn, one callback; the repeats answer 200 with its id', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('on its way'));
    const receiver = await callbackReceiver();
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { webhook: { accounts: { acme: { secret: SECRET, callback_url: receiver.url } } } } });

    const first = await nexus.serve();
    expect(await post(first.httpUrl, { message_id: 'order-118', content: 'Where is my order?' })).toEqual({ status: 202, body: { accepted: true, message_id: 'order-118' } });
    await eventually(() => receiver.bodies.length === 1, 'the reply callback');
    expect(await post(first.httpUrl, { message_id: 'order-118', content: 'Where is my order? (retry)' })).toMatchObject({ status: 200, body: { duplicate: true, message_id: 'order-118' } });
    expect(await first.stop()).toEqual({ code: 0, signal: null });

    const second = await nexus.serve();
    expect(await post(second.httpUrl, { message_id: 'order-118', content: 'Where is my order? (after restart)' })).toMatchObject({ status: 200, body: { duplicate: true, message_id: 'order-118' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(llm.streamRequests).toHaveLength(1);
    expect(receiver.bodies).toHaveLength(1);
    expect(storedMessages(nexus.home, 'main:webhook:acme:ticket-1').map((m) => [m.role, m.content])).toEqual([
      ['user', 'Where is my order?'],
      ['assistant', 'on its way'],
    ]);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('answers a message the store could not keep 400 naming the field, instead of 202 and silence', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('never sent'));
    const receiver = await callbackReceiver();
    const nexus = nexusInstance({ llm: fakeLlm(llm), channels: { webhook: { accounts: { acme: { secret: SECRET, callback_url: receiver.url } } } } });
    const server = await nexus.serve();

    const refused = await post(server.httpUrl, { content: 'hello\u0000there' });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload', message: expect.stringContaining('/content: contains a NUL character') } } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(llm.streamRequests).toHaveLength(0);
    expect(receiver.bodies).toHaveLength(0);
    expect(existsSync(join(nexus.home, 'data', 'webhook-dead-letters.jsonl'))).toBe(false);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
