import type { IncomingMessage } from 'node:http';

/** Larger than any sane JSON-RPC message; a bigger body is refused, not buffered. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export type BodyRead = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly status: 400 | 413; readonly message: string };

export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > limit) return { ok: false, status: 413, message: `the request body is over ${limit} bytes` };
    chunks.push(chunk as Buffer);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, status: 400, message: `Parse error: the body is not JSON (${(error as Error).message})` };
  }
}
