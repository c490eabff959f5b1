import { describe, expect, it } from 'vitest';
import { message, postSigned, SECRET, startWebhook } from './webhook-test-kit.js';

const ACCOUNTS = { accounts: { acme: { secret: SECRET, callback_url: 'https://hooks.acme.example/nexus' } } };

/** `{ "a": { "a": … } }`, `depth` objects deep. */
function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('webhook channel: what the store would refuse is refused before the 202', () => {
  it.each([
    ['content with a NUL character', message({ content: 'hello\u0000there' }), '/content: contains a NUL character (U+0000) at index 5'],
    ['a NUL in a metadata value', message({ metadata: { ticket: { note: 'a\u0000b' } } }), '/metadata/ticket/note: contains a NUL character'],
    ['a NUL in a metadata key', message({ metadata: { 'bad\u0000key': 1 } }), '/metadata: contains a NUL character'],
    ['a lone surrogate, escaped in JSON, in sender_id', message().replace('"user-7"', '"user-\\ud800"'), '/sender_id: is not valid Unicode: a lone surrogate U+D800'],
    ['a NUL in message_id', message({ message_id: 'ext\u00001' }), '/message_id: contains a NUL character'],
    ['a NUL in conversation_id', message({ conversation_id: 'c\u0000' }), '/conversation_id: contains a NUL character'],
    ['a MIME type longer than any store keeps', message({ attachments: [{ mime_type: `image/${'x'.repeat(1200)}`, url: 'https://x.example/a' }] }), '/attachments/0/mime_type: is 1206 characters long; the limit is 1000'],
    ['an attachment name with a NUL', message({ attachments: [{ mime_type: 'image/png', name: 'a\u0000.png', url: 'https://x.example/a' }] }), '/attachments/0/name: contains a NUL character'],
  ])('answers %s with 400 invalid_payload naming the field, and hands nothing over', async (_what, body, expected) => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const reply = await postSigned(url, 'acme', body);
    expect(reply.status).toBe(400);
    expect(reply.body.error?.code).toBe('invalid_payload');
    expect(reply.body.error?.message).toContain(expected);
    // Nothing reached the gateway: no turn, no callback, no dead letter to explain later.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(received).toEqual([]);
  });

  it('refuses metadata nested past the limit, naming it, and takes metadata nested up to it (and other control characters)', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const deep = await postSigned(url, 'acme', message({ metadata: nested(70) }));
    expect(deep).toMatchObject({ status: 400, body: { error: { code: 'invalid_payload', message: expect.stringContaining('/metadata: nests deeper than 64 levels') } } });
    expect((await postSigned(url, 'acme', message({ metadata: nested(60), content: 'tab\tbell\u0007' }))).status).toBe(202);
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]!.content).toBe('tab\tbell\u0007');
  });

  it('refuses a body that is not valid UTF-8 with 400, saying where, instead of storing replacement characters', async () => {
    const { url, received } = await startWebhook(ACCOUNTS);
    const head = Buffer.from('{"conversation_id":"c1","sender_id":"u1",\n"content":"caf', 'utf8');
    // 0xC3 opens a two-byte sequence that '(' cannot continue.
    const body = Buffer.concat([head, Buffer.from([0xc3, 0x28]), Buffer.from('"}', 'utf8')]);
    const reply = await postSigned(url, 'acme', body);
    expect(reply).toEqual({
      status: 400,
      body: { error: { code: 'bad_json', message: `the body is not valid UTF-8 at line 2, column 15 (byte offset ${head.length}); send JSON encoded as UTF-8` } },
    });
    expect(received).toEqual([]);
    // The same text, properly encoded, is taken.
    expect((await postSigned(url, 'acme', message({ content: 'café' }))).status).toBe(202);
  });
});
