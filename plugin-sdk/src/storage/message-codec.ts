import { STORE_LIMITS, ValidationError, type Attachment, type LlmToolCall, type StoredToolResult } from '../contracts/index.js';
import { checkName, checkOptionalText, checkText, isPlainObject } from './value-checks.js';

/** An attachment as stored in JSON: binary `data` travels as base64. */
interface StoredAttachment {
  readonly name?: string;
  readonly mimeType: string;
  readonly url?: string;
  readonly dataBase64?: string;
}

/**
 * Checks attachments; all `data` together is limited to `STORE_LIMITS.attachmentBytes`. Returns
 * fresh attachments holding only the known fields; `data` is still the caller's bytes.
 */
export function checkAttachments(field: string, attachments: readonly Attachment[]): Attachment[] {
  if (!Array.isArray(attachments)) throw new ValidationError(field, 'must be an array');
  let dataBytes = 0;
  return attachments.map((a, i): Attachment => {
    const at = `${field}[${i}]`;
    if (!isPlainObject(a)) throw new ValidationError(at, 'must be a plain object');
    if (a.data !== undefined && !(a.data instanceof Uint8Array)) throw new ValidationError(`${at}.data`, 'must be a Uint8Array (or absent)');
    dataBytes += a.data?.byteLength ?? 0;
    if (dataBytes > STORE_LIMITS.attachmentBytes) {
      throw new ValidationError(field, `hold more than ${STORE_LIMITS.attachmentBytes} bytes of data together; store large files elsewhere and attach a url`);
    }
    const name = checkOptionalText(`${at}.name`, a.name);
    const url = a.url === undefined ? undefined : checkText(`${at}.url`, a.url, { maxBytes: STORE_LIMITS.jsonBytes });
    return {
      ...(name !== undefined ? { name } : {}),
      mimeType: checkName(`${at}.mimeType`, a.mimeType),
      ...(url !== undefined ? { url } : {}),
      ...(a.data !== undefined ? { data: a.data } : {}),
    };
  });
}

/** Checked attachments as the SQL stores keep them: JSON, with `data` as base64. */
export function encodeAttachments(attachments: readonly Attachment[]): string {
  return JSON.stringify(
    attachments.map(({ data, ...rest }): StoredAttachment => (data === undefined ? rest : { ...rest, dataBase64: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64') })),
  );
}

/** Tool calls in the shape they are stored in, not yet checked as JSON. */
export function toolCallsToStore(field: string, calls: readonly LlmToolCall[]): LlmToolCall[] {
  if (!Array.isArray(calls)) throw new ValidationError(field, 'must be an array');
  return calls.map((c, i) => {
    const at = `${field}[${i}]`;
    if (!isPlainObject(c)) throw new ValidationError(at, 'must be a plain object');
    return { id: checkName(`${at}.id`, c.id), name: checkName(`${at}.name`, c.name), input: c.input === undefined ? null : c.input };
  });
}

/** Tool results in the shape they are stored in, not yet checked as JSON. */
export function toolResultsToStore(field: string, results: readonly StoredToolResult[]): StoredToolResult[] {
  if (!Array.isArray(results)) throw new ValidationError(field, 'must be an array');
  return results.map((r, i) => {
    const at = `${field}[${i}]`;
    if (!isPlainObject(r)) throw new ValidationError(at, 'must be a plain object');
    if (r.isError !== undefined && typeof r.isError !== 'boolean') throw new ValidationError(`${at}.isError`, 'must be a boolean (or absent)');
    return { callId: checkName(`${at}.callId`, r.callId), content: checkText(`${at}.content`, r.content, { allowEmpty: true }), ...(r.isError !== undefined ? { isError: r.isError } : {}) };
  });
}

/** A JSON column as the driver returns it: text (SQLite, memory) or already parsed (PostgreSQL JSONB). */
export function parseJsonColumn<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function decodeAttachments(value: unknown): Attachment[] {
  return parseJsonColumn<StoredAttachment[]>(value).map(({ dataBase64, ...rest }) =>
    dataBase64 === undefined ? rest : { ...rest, data: new Uint8Array(Buffer.from(dataBase64, 'base64')) },
  );
}
