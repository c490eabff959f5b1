import { describe, expect, it } from 'vitest';
import { ConversationResolvers } from '@nexus/plugin-sdk';
import { createTestKernel, verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { gatewaySettingsPlugin, httpPluginDir, webhookPluginDir } from '../http/http-test-kit.js';
import { message, nowSeconds, postSigned, SECRET, signBody, startWebhook } from './webhook-test-kit.js';

const ACCOUNTS = { accounts: { acme: { secret: SECRET, callback_url: 'https://hooks.acme.example/nexus' }, nosecret: { callback_url: 'https://x.example/' } } };

describe('webhook channel: manifest and enablement', () => {
  it('honours its manifest: every channel capability, the route and both doctor checks', async () => {
    const report = await verifyPluginContract({
      plugin: webhookPluginDir,
      with: [gatewaySettingsPlugin()],
      settings: { channels: { webhook: { accounts: { acme: { secret: SECRET } } } } },
    });
    expect(report.problems).toEqual([]);
    expect([...report.resolved].sort()).toEqual([
      'channels:webhook',
      'channels:webhook',
      'channels:webhook',
      'channels:webhook',
      'channels:webhook',
      'doctorChecks:webhook-policy',
      'doctorChecks:webhook-probe',
      'httpRoutes:/channels/webhook',
    ]);
  });

  it('is enabled only once channels.webhook.accounts is set', async () => {
    await using off = createTestKernel({ plugin: webhookPluginDir, with: [httpPluginDir, gatewaySettingsPlugin()] });
    expect(off.summary().enabled).toBe(false);
    await using on = createTestKernel({ plugin: webhookPluginDir, with: [httpPluginDir, gatewaySettingsPlugin()], settings: { channels: { webhook: ACCOUNTS } } });
    expect(on.summary().enabled).toBe(true);
  });

  it.each([
    ['an account id with a slash', { accounts: { 'a/b': { secret: SECRET } } }, '/channels/webhook/accounts'],
    ['a callback that is not http(s)', { accounts: { acme: { secret: SECRET, callback_url: 'ftp://x.example/' } } }, '/channels/webhook/accounts/acme/callback_url'],
    ['an unknown account key', { accounts: { acme: { secret: SECRET, callback: 'https://x.example/' } } }, '/channels/webhook/accounts/acme/callback'],
    ['zero retry attempts', { accounts: { acme: { secret: SECRET } }, retry: { attempts: 0 } }, '/channels/webhook/retry/attempts'],
  ])('is quarantined by %s, naming the key', async (_what, webhook, pointer) => {
    await using kernel = createTestKernel({ plugin: webhookPluginDir, with: [gatewaySettingsPlugin()], settings: { channels: { webhook } } });
    const summary = kernel.summary();
    expect(summary.state).toBe('quarantined');
    expect(summary.diagnostics[0]).toMatchObject({ code: 'config.invalid', message: expect.stringContaining(pointer) });
    expect(JSON.stringify(summary.diagnostics)).not.toContain(SECRET);
  });
});

describe('webhook channel: inbound', () => {
  it('accepts a signed message with 202 and hands it to the handlers, scoped by account and conversation', async () => {
    const { kernel, url, received } = await startWebhook(ACCOUNTS);
    const body = message({ message_id: 'ext-42', metadata: { ticket: 7 }, attachments: [{ mime_type: 'image/png', name: 'a.png', data: 'aGk=' }] });
    expect(await postSigned(url, 'acme', body)).toEqual({ status: 202, body: { accepted: true, message_id: 'ext-42' } });
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toMatchObject({
      channel: 'webhook',
      accountId: 'acme',
      externalId: 'ext-42',
      senderId: 'user-7',
      content: 'hello there',
      metadata: { ticket: 7, conversation_id: 'conv-1' },
    });
    expect(received[0]!.attachments).toEqual([{ mimeType: 'image/png', name: 'a.png', data: new Uint8Array(Buffer.from('hi')) }]);
    const resolver = await kernel.contributions.get(ConversationResolvers, 'webhook');
    expect(resolver.conversationId(received[0]!)).toBe('acme:conv-1');
  });

  it('gives a message without message_id an id of its own', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const reply = await postSigned(url, 'acme', message());
    expect(reply.status).toBe(202);
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]!.externalId).toBe(reply.body.message_id);
    expect(reply.body.message_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a bad signature, a wrong secret and a missing one with 401, handing nothing over', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const timestamp = nowSeconds();
    const tampered = await postSigned(url, 'acme', message({ content: 'transfer everything' }), { headers: { 'x-nexus-signature': signBody(SECRET, timestamp, message()), 'x-nexus-timestamp': timestamp } });
    expect(tampered).toMatchObject({ status: 401, body: { error: { code: 'bad_signature' } } });
    expect((await postSigned(url, 'acme', message(), { secret: 'some-other-secret-that-is-long-enough' })).body.error?.code).toBe('bad_signature');
    expect((await postSigned(url, 'acme', message(), { headers: { 'x-nexus-signature': '' } })).body.error?.code).toBe('missing_signature');
    expect((await postSigned(url, 'acme', message(), { headers: { 'x-nexus-signature': 'sha256=zz' } })).body.error?.code).toBe('bad_signature');
    // Signed over a different timestamp than the one sent: one second before the signed one (not
    // "now minus a second", which is the signed one again once a second has passed in this test).
    const shifted = await postSigned(url, 'acme', message(), { headers: { 'x-nexus-timestamp': String(Number(timestamp) - 1), 'x-nexus-signature': signBody(SECRET, timestamp, message()) } });
    expect(shifted.body.error?.code).toBe('bad_signature');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
  });

  it('refuses a replayed request, and stale or future timestamps', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const timestamp = nowSeconds();
    const body = message();
    expect((await postSigned(url, 'acme', body, { timestamp })).status).toBe(202);
    const replay = await postSigned(url, 'acme', body, { timestamp });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'replayed_request', message: 'this timestamp and signature were already used; sign every request afresh' } } });
    // The same digest in capitals is the same signature.
    const upper = await postSigned(url, 'acme', body, { timestamp, headers: { 'x-nexus-signature': signBody(SECRET, timestamp, body).toUpperCase().replace('SHA256=', 'sha256=') } });
    expect(upper.body.error?.code).toBe('replayed_request');

    const stale = await postSigned(url, 'acme', body, { timestamp: nowSeconds(-301) });
    expect(stale).toMatchObject({ status: 401, body: { error: { code: 'stale_timestamp' } } });
    expect(stale.body.error?.message).toMatch(/at most 300 s allowed/);
    expect((await postSigned(url, 'acme', body, { timestamp: nowSeconds(400) })).body.error?.code).toBe('stale_timestamp');
    expect((await postSigned(url, 'acme', body, { timestamp: 'yesterday' })).body.error?.code).toBe('bad_timestamp');
    await expect.poll(() => received.length).toBe(1);
  });

  it('answers an unknown account 404 and an account without a secret 401', async () => {
    const { url } = await startWebhook(ACCOUNTS);
    expect(await postSigned(url, 'nobody', message())).toMatchObject({ status: 404, body: { error: { code: 'unknown_account', message: 'there is no webhook account "nobody"' } } });
    expect(await postSigned(url, 'nosecret', message())).toMatchObject({ status: 401, body: { error: { code: 'account_without_secret' } } });
    expect((await postSigned(url, 'constructor', message())).status).toBe(404);
  });

  it('answers broken JSON 400 with the line and column, and a wrong shape 400 with the field', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const broken = await postSigned(url, 'acme', '{\n  "conversation_id": "c",\n  "content": ,\n}');
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'bad_json' } } });
    expect(broken.body.error?.message).toBe("the body is not valid JSON at line 3, column 14 (offset 41): Unexpected token ','");

    const cases: [string, string][] = [
      [message({ sender_id: undefined }), '/sender_id: required: a non-empty string'],
      [message({ conversation_id: '' }), '/conversation_id: required: a non-empty string'],
      [message({ content: 5 }), '/content: required: a string'],
      [message({ content: ' ' }), '/content: empty: send some content or at least one attachment'],
      [message({ conversationId: 'c' }), '/conversationId: unknown field'],
      [message({ attachments: [{ mime_type: 'image/png' }] }), '/attachments/0: needs a url or base64 data'],
      [message({ attachments: [{ mime_type: 'png', url: 'https://x/a.png' }] }), '/attachments/0/mime_type: required: a MIME type'],
      [message({ metadata: [1] }), '/metadata: must be a JSON object'],
      ['[1,2]', '/: the body must be a JSON object'],
    ];
    for (const [body, expected] of cases) {
      const reply = await postSigned(url, 'acme', body);
      expect(reply.status, body).toBe(400);
      expect(reply.body.error?.code).toBe('invalid_payload');
      expect(reply.body.error?.message).toContain(expected);
    }
    expect(received).toEqual([]);
  });

  it('answers 503 while the channel is not started, so the integrator retries instead of losing the message', async () => {
    const { url } = await startWebhook(ACCOUNTS, { start: false });
    const reply = await postSigned(url, 'acme', message());
    expect(reply).toMatchObject({ status: 503, body: { error: { code: 'channel_unavailable' } } });
  });

  it('answers POST only, and only at /channels/webhook/<account>', async () => {
    const { url } = await startWebhook(ACCOUNTS);
    const get = await fetch(`${url}/channels/webhook/acme`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${url}/channels/webhook/acme/extra`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${url}/channels/webhook`, { method: 'POST' })).status).toBe(404);
  });
});
