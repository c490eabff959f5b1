import type { IncomingMessage } from 'node:http';
import { HttpError } from '@nexus/plugin-sdk';

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'body_too_large', `the request body is larger than the server accepts (${limit} bytes); send less, or raise plugins.entries.http.config.max_body_bytes`);
}

/**
 * Reads the whole body, refusing anything over `limit` bytes: at once when Content-Length says
 * so, otherwise as soon as the bytes received pass it (chunked uploads). Rejects when `signal`
 * aborts (timeout, client gone).
 */
export function readBody(request: IncomingMessage, limit: number, signal: AbortSignal): Promise<Uint8Array> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      signal.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown) => {
      cleanup();
      // Stop reading: the response goes out with `connection: close`, which ends the upload.
      request.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) fail(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => fail(error);
    const onAbort = () => fail(signal.reason);
    if (signal.aborted) return fail(signal.reason);
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
