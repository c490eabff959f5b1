import { HttpError, type Attachment } from '@nexus/plugin-sdk';
import { jsonErrorOffset } from './json-error-offset.js';

/** What an integrator POSTs to `/channels/webhook/<account>`. */
export interface InboundPayload {
  readonly conversation_id: string;
  readonly sender_id: string;
  readonly content: string;
  readonly message_id?: string;
  readonly attachments: readonly Attachment[];
  readonly metadata: Readonly<Record<string, unknown>>;
}

const FIELDS = ['conversation_id', 'sender_id', 'content', 'message_id', 'attachments', 'metadata'];
const ATTACHMENT_FIELDS = ['mime_type', 'name', 'url', 'data'];
const MAX_ID = 256;

function invalid(pointer: string, problem: string): HttpError {
  return new HttpError(400, 'invalid_payload', `${pointer || '/'}: ${problem}`);
}

/**
 * Parses the raw body, saying where (line, column) broken JSON breaks. JSON travels as UTF-8
 * (RFC 8259): a body that is not valid UTF-8 is refused rather than decoded with replacement
 * characters, which would store text the sender never sent.
 */
export function parseJson(body: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const offset = invalidUtf8Offset(body);
    const before = new TextDecoder('utf-8').decode(body.subarray(0, offset)).split('\n');
    throw new HttpError(400, 'bad_json', `the body is not valid UTF-8 at line ${before.length}, column ${before.at(-1)!.length + 1} (byte offset ${offset}); send JSON encoded as UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's wording, without its position (we give line and column) or its echo of the body.
    const reason = (error as Error).message.replace(/ at position \d+.*$/s, '').replace(/ in JSON$/, '').replace(/^(Unexpected token '[^]*?'), [^]* is not valid JSON$/, '$1');
    const offset = jsonErrorOffset(text) ?? text.length;
    const before = text.slice(0, offset).split('\n');
    const where = `line ${before.length}, column ${before.at(-1)!.length + 1}`;
    throw new HttpError(400, 'bad_json', `the body is not valid JSON at ${where} (offset ${offset}): ${reason}`);
  }
}

/**
 * Where the UTF-8 goes wrong: the offset of the first byte that does not start a well-formed
 * sequence (RFC 3629: no stray continuation bytes, overlong forms, surrogates or code points past
 * U+10FFFF), or the body's length when it ends inside one. Only a refused body gets here.
 */
function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // The sequence's length, and the range its second byte must fall in.
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
      : lead === 0xe0 ? [3, 0xa0, 0xbf]
      : lead === 0xed ? [3, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
      : lead === 0xf0 ? [4, 0x90, 0xbf]
      : lead === 0xf4 ? [4, 0x80, 0x8f]
      : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
      : [0, 0, 0];
    if (length === 0) return i;
    if (i + length > bytes.length) return bytes.length;
    const second = bytes[i + 1]!;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return bytes.length;
}

/** Checks the shape, naming the first offending field by JSON pointer. */
export function readInboundPayload(value: unknown): InboundPayload {
  if (!isObject(value)) throw invalid('', 'the body must be a JSON object with conversation_id, sender_id and content');
  const unknown = Object.keys(value).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) throw invalid(`/${unknown}`, `unknown field; the fields are ${FIELDS.join(', ')}`);
  const id = (key: string, required: boolean): string | undefined => {
    const v = value[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw invalid(`/${key}`, required ? 'required: a non-empty string' : 'must be a non-empty string');
    if (v.length > MAX_ID) throw invalid(`/${key}`, `must be at most ${MAX_ID} characters`);
    return v;
  };
  const conversation_id = id('conversation_id', true)!;
  const sender_id = id('sender_id', true)!;
  const message_id = id('message_id', false);
  if (typeof value.content !== 'string') throw invalid('/content', 'required: a string');
  const attachments = readAttachments(value.attachments);
  if (value.content.trim() === '' && attachments.length === 0) throw invalid('/content', 'empty: send some content or at least one attachment');
  if (value.metadata !== undefined && !isObject(value.metadata)) throw invalid('/metadata', 'must be a JSON object');
  return { conversation_id, sender_id, content: value.content, message_id, attachments, metadata: (value.metadata as Record<string, unknown>) ?? {} };
}

function readAttachments(value: unknown): Attachment[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('/attachments', 'must be an array');
  return value.map((item: unknown, i) => {
    const at = `/attachments/${i}`;
    if (!isObject(item)) throw invalid(at, 'must be an object with mime_type and url or data');
    const unknown = Object.keys(item).find((k) => !ATTACHMENT_FIELDS.includes(k));
    if (unknown !== undefined) throw invalid(`${at}/${unknown}`, `unknown field; the fields are ${ATTACHMENT_FIELDS.join(', ')}`);
    if (typeof item.mime_type !== 'string' || !/^[\w.+-]+\/[\w.+-]+$/.test(item.mime_type)) throw invalid(`${at}/mime_type`, 'required: a MIME type such as image/png');
    if (item.name !== undefined && typeof item.name !== 'string') throw invalid(`${at}/name`, 'must be a string');
    if (item.url !== undefined && (typeof item.url !== 'string' || !/^https?:\/\//.test(item.url))) throw invalid(`${at}/url`, 'must be an http(s) URL');
    if (item.data !== undefined && (typeof item.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(item.data))) throw invalid(`${at}/data`, 'must be base64');
    if (item.url === undefined && item.data === undefined) throw invalid(at, 'needs a url or base64 data');
    return {
      mimeType: item.mime_type,
      ...(item.name !== undefined ? { name: item.name as string } : {}),
      ...(item.url !== undefined ? { url: item.url as string } : {}),
      ...(item.data !== undefined ? { data: new Uint8Array(Buffer.from(item.data as string, 'base64')) } : {}),
    };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
