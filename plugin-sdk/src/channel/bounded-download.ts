export interface DownloadRequest {
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly fetch: typeof fetch;
}

export type DownloadResult =
  | { readonly ok: true; readonly data: Uint8Array; readonly mimeType: string }
  | { readonly ok: false; readonly reason: string; readonly tooLarge: boolean };

/**
 * Downloads a file but never holds more than `maxBytes` of it: a Content-Length over the limit
 * is refused before the body is read, and a body that keeps coming past the limit is cut off.
 */
export async function downloadWithin(request: DownloadRequest): Promise<DownloadResult> {
  const { url, maxBytes } = request;
  let response: Response;
  try {
    response = await request.fetch(url, { headers: request.headers, redirect: 'error', signal: AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ok: false, reason: `the download failed: ${reason}`, tooLarge: false };
  }
  const tooLarge = (size: string) => ({ ok: false as const, reason: `it is larger than max_attachment_bytes (${size} > ${maxBytes} bytes)`, tooLarge: true });
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: `the download answered HTTP ${response.status}`, tooLarge: false };
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return tooLarge(String(declared));
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body?.getReader();
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return tooLarge(`at least ${total}`);
    }
    chunks.push(value);
  }
  const data = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, data, mimeType: (response.headers.get('content-type') ?? 'application/octet-stream').split(';')[0]!.trim() };
}
