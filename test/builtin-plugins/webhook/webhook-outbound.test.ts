import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChannelHealths, ChannelOutbounds, type Logger, type OutboundMessage } from '@nexus/plugin-sdk';
import { DeadLetterFile } from '../../../src/builtin-plugins/webhook/dead-letters.js';
import { WebhookActivity } from '../../../src/builtin-plugins/webhook/webhook-activity.js';
import { WebhookSender } from '../../../src/builtin-plugins/webhook/webhook-sender.js';
import { readWebhookSettings } from '../../../src/builtin-plugins/webhook/webhook-settings.js';
import { tempDir } from '../http/http-test-kit.js';
import { closedPort, message, postSigned, runCheck, SECRET, startReceiver, startWebhook } from './webhook-test-kit.js';

const FAST_RETRY = { attempts: 3, initial_delay_ms: 20, max_delay_ms: 100 };

const reply = (fields: Partial<OutboundMessage> = {}): OutboundMessage => ({
  channel: 'webhook',
  accountId: 'acme',
  target: 'acme:conv-1',
  content: 'hi back',
  metadata: { conversation_id: 'conv-1', ticket: 7 },
  ...fields,
});

const send = async (setup: Awaited<ReturnType<typeof startWebhook>>, message = reply()) =>
  (await setup.kernel.contributions.get(ChannelOutbounds, 'webhook')).send(message, { signal: AbortSignal.timeout(10_000) });

describe('webhook channel: outbound', () => {
  it('completes a round trip: a signed message in, a signed reply out to the callback', async () => {
    const receiver = await startReceiver();
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: receiver.url } } });
    expect((await postSigned(setup.url, 'acme', message({ metadata: { ticket: 7 } }))).status).toBe(202);
    await expect.poll(() => setup.received.length).toBe(1);
    const inbound = setup.received[0]!;

    // What the gateway does with it: scope by the resolver, reply to that target with the inbound metadata.
    const receipt = await send(setup, reply({ target: 'acme:conv-1', metadata: inbound.metadata, attachments: [{ mimeType: 'text/plain', name: 'n.txt', data: new TextEncoder().encode('note') }] }));
    expect(receiver.calls).toHaveLength(1);
    const call = receiver.calls[0]!;
    expect(call.verified).toBe(true);
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers['x-nexus-delivery']).toBe(receipt.externalId);
    expect(JSON.parse(call.body)).toEqual({
      type: 'message',
      delivery_id: receipt.externalId,
      account: 'acme',
      conversation_id: 'conv-1',
      content: 'hi back',
      attachments: [{ mime_type: 'text/plain', name: 'n.txt', data: Buffer.from('note').toString('base64') }],
      metadata: { ticket: 7 },
      sent_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const status = (await setup.kernel.contributions.get(ChannelHealths, 'webhook')).status();
    expect(status).toMatchObject({ connected: true, lastActivityAt: expect.any(Number) });
    expect(status.error).toBeUndefined();
  });

  it('retries a callback that answers 503 and then recovers, with the same delivery id, each attempt signed', async () => {
    const receiver = await startReceiver([503, 503]);
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: receiver.url } }, retry: FAST_RETRY });
    const receipt = await send(setup);
    expect(receiver.calls).toHaveLength(3);
    expect(receiver.calls.every((c) => c.verified)).toBe(true);
    expect(new Set(receiver.calls.map((c) => c.headers['x-nexus-delivery']))).toEqual(new Set([receipt.externalId]));
    expect(setup.kernel.logs.filter((e) => String(e.msg).startsWith('webhook delivery attempt'))).toHaveLength(2);
  });

  it('retries a callback that is down (connection refused) until it comes up', async () => {
    const port = await closedPort();
    const deadLetters = new DeadLetterFile(join(tempDir(), 'dead.jsonl'));
    const settings = readWebhookSettings({
      path: undefined,
      home: tempDir(),
      section: () => ({ webhook: { accounts: { acme: { secret: SECRET, callback_url: `http://127.0.0.1:${port}/hooks/nexus` } }, retry: { attempts: 4, initial_delay_ms: 10, max_delay_ms: 10 } } }) as never,
    });
    const waits: number[] = [];
    let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
    const sender = new WebhookSender({
      settings,
      deadLetters,
      activity: new WebhookActivity(),
      clock: { now: () => Date.now() },
      logger: silentLogger,
      // The receiver comes up while the sender waits after its second failed attempt.
      wait: async (ms) => {
        waits.push(ms);
        if (waits.length === 2) receiver = await startReceiver([], port);
      },
    });
    const receipt = await sender.send(reply(), { signal: AbortSignal.timeout(10_000) });
    expect(waits).toEqual([10, 10]);
    expect(receiver!.calls).toHaveLength(1);
    expect(receiver!.calls[0]!.verified).toBe(true);
    expect(receipt.externalId).toBe(receiver!.calls[0]!.headers['x-nexus-delivery']);
    expect(deadLetters.counts()).toEqual({ recorded: 0, waiting: 0 });
  });

  it('records a reply whose callback stays down in the dead-letter file, and says so in status and doctor', async () => {
    const port = await closedPort();
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: `http://127.0.0.1:${port}/hooks` } }, retry: FAST_RETRY });
    const failure = send(setup);
    await expect(failure).rejects.toThrow(/^the reply to webhook account acme was not delivered after 3 attempt\(s\): the callback is unreachable: ECONNREFUSED; it is recorded in /);
    await expect(failure).rejects.toMatchObject({ code: 'delivery_failed' });

    const lines = readFileSync(setup.deadLetterFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const letter = JSON.parse(lines[0]!);
    expect(letter).toMatchObject({ account: 'acme', attempts: 3, error: 'the callback is unreachable: ECONNREFUSED', payload: { conversation_id: 'conv-1', content: 'hi back' } });
    expect(letter.payload.delivery_id).toBe(letter.delivery_id);
    expect(statSync(setup.deadLetterFile).mode & 0o777).toBe(0o600);

    const status = (await setup.kernel.contributions.get(ChannelHealths, 'webhook')).status();
    expect(status.error).toContain('a reply to account acme could not be delivered');
    expect(status.error).toContain(`1 undelivered reply recorded in ${setup.deadLetterFile}`);
    const findings = await runCheck(setup.kernel, 'webhook-probe', false);
    expect(findings).toContainEqual(expect.objectContaining({ level: 'warning', message: `1 undelivered webhook reply is recorded in ${setup.deadLetterFile}` }));
  });

  it('does not retry an answer that retrying cannot fix (400), and records it', async () => {
    const receiver = await startReceiver([400]);
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: receiver.url } }, retry: FAST_RETRY });
    await expect(send(setup)).rejects.toThrow(/after 1 attempt\(s\): the callback answered 400/);
    expect(receiver.calls).toHaveLength(1);
    expect(readFileSync(setup.deadLetterFile, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('does not follow redirects with a signed body', async () => {
    const receiver = await startReceiver([302]);
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: receiver.url } }, retry: FAST_RETRY });
    await expect(send(setup)).rejects.toThrow(/the callback answered 302 \(redirects are not followed/);
  });

  it('records replies for accounts it cannot deliver to: unknown, no callback, no secret', async () => {
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET }, bare: { callback_url: 'https://x.example/' } } });
    await expect(send(setup, reply({ accountId: 'ghost' }))).rejects.toThrow(/there is no webhook account "ghost"/);
    await expect(send(setup)).rejects.toThrow(/account "acme" has no callback_url/);
    await expect(send(setup, reply({ accountId: 'bare' }))).rejects.toThrow(/account "bare" has no secret to sign its replies with/);
    expect(readFileSync(setup.deadLetterFile, 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('keeps a dead letter in memory when the file cannot be written, and writes it with the next one', async () => {
    const dir = tempDir();
    const blocked = new DeadLetterFile(join(dir, 'not-a-dir', 'x.jsonl'));
    writeFileSync(join(dir, 'not-a-dir'), 'a file where the folder should be');
    const letter = { recorded_at: 'now', account: 'acme', delivery_id: 'd1', attempts: 1, error: 'down', payload: { content: 'keep me' } };
    await expect(blocked.append(letter)).rejects.toThrow();
    expect(blocked.counts()).toEqual({ recorded: 0, waiting: 1 });

    rmSync(join(dir, 'not-a-dir'));
    await blocked.append({ ...letter, delivery_id: 'd2' });
    expect(blocked.counts()).toEqual({ recorded: 2, waiting: 0 });
    expect(await blocked.countInFile()).toBe(2);
  });
});

describe('webhook channel: health and doctor', () => {
  it('probes each callback: any HTTP answer is reachable, a closed port is not', async () => {
    const receiver = await startReceiver();
    const port = await closedPort();
    const setup = await startWebhook({
      accounts: { up: { secret: SECRET, callback_url: receiver.url }, down: { secret: SECRET, callback_url: `http://127.0.0.1:${port}/x` } },
    });
    const health = await setup.kernel.contributions.get(ChannelHealths, 'webhook');
    const result = await health.probe({ signal: AbortSignal.timeout(10_000) });
    expect(result.healthy).toBe(false);
    expect(result.message).toContain(`down: http://127.0.0.1:${port}/x is unreachable (ECONNREFUSED)`);
    expect(result.message).toMatch(new RegExp(`up: ${receiver.url} answered 405 in \\d+ ms`));

    const probed = await runCheck(setup.kernel, 'webhook-probe', true);
    expect(probed).toEqual([
      expect.objectContaining({ level: 'error', message: `down: http://127.0.0.1:${port}/x is unreachable (ECONNREFUSED)` }),
      expect.objectContaining({ level: 'info', message: expect.stringMatching(/^up: .* answered 405/) }),
    ]);
    // Without --probe nothing is contacted.
    expect(await runCheck(setup.kernel, 'webhook-probe', false)).toEqual([{ level: 'info', message: 'callback URLs not contacted (run doctor with --probe)' }]);
  });

  it('is healthy when every callback answers', async () => {
    const receiver = await startReceiver();
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: receiver.url } } });
    const result = await (await setup.kernel.contributions.get(ChannelHealths, 'webhook')).probe({ signal: AbortSignal.timeout(10_000) });
    expect(result).toMatchObject({ healthy: true, latencyMs: expect.any(Number) });
    expect(receiver.calls).toEqual([]);
  });

  it('flags a missing secret (error), a short secret and a clear-text callback off loopback (warnings)', async () => {
    const setup = await startWebhook({
      accounts: {
        open: { callback_url: 'https://hooks.example.com/a' },
        short: { secret: 'only-16-bytes!!!', callback_url: 'https://hooks.example.com/b' },
        plain: { secret: SECRET, callback_url: 'http://hooks.example.com/c' },
        local: { secret: SECRET, callback_url: 'http://127.0.0.1:9999/d' },
        local6: { secret: SECRET, callback_url: 'http://[::1]:9999/e' },
        good: { secret: SECRET, callback_url: 'https://hooks.example.com/f' },
      },
    });
    const findings = await runCheck(setup.kernel, 'webhook-policy', false);
    expect(findings).toEqual([
      expect.objectContaining({ level: 'error', message: 'channels.webhook.accounts.open has no secret: every request to /channels/webhook/open is refused and no reply can be signed' }),
      expect.objectContaining({ level: 'warning', message: 'channels.webhook.accounts.plain.callback_url sends replies in clear text to hooks.example.com' }),
      expect.objectContaining({ level: 'warning', message: 'channels.webhook.accounts.short.secret is 16 bytes; at least 32 resist guessing' }),
    ]);
    expect(JSON.stringify(findings)).not.toContain('only-16-bytes');
  });

  it('passes a sound configuration', async () => {
    const setup = await startWebhook({ accounts: { acme: { secret: SECRET, callback_url: 'https://hooks.example.com/a' } } });
    expect(await runCheck(setup.kernel, 'webhook-policy', false)).toEqual([
      { level: 'info', message: '1 account(s): secrets set and long enough, callbacks on HTTPS or loopback' },
    ]);
  });
});

const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
