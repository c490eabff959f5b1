import type { Api } from 'grammy';
import type { ChannelTimers } from '@nexus/plugin-sdk/channel';
import type { Attachment } from '@nexus/plugin-sdk';
import { describeFailure } from './telegram-errors.js';
import type { AttachmentRef } from './update-normaliser.js';
import { grammySignal } from './grammy-signal.js';

/** The Bot API serves files up to 20 MB through getFile; larger ones need a local Bot API server. */
export const BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

/** An attachment that was not handed on, and why: reported in the message's metadata, never dropped silently. */
export interface SkippedAttachment {
  readonly kind: AttachmentRef['kind'];
  readonly name?: string;
  readonly mime_type: string;
  readonly size?: number;
  readonly reason: 'over_limit' | 'too_big_for_bot_api' | 'download_failed';
  readonly detail: string;
}

export type FetchResult = { readonly attachment: Attachment } | { readonly skipped: SkippedAttachment };

export interface AttachmentFetcherDeps {
  readonly api: Api;
  readonly apiRoot: string;
  readonly token: string;
  readonly maxBytes: number;
  readonly timers: ChannelTimers;
  readonly timeoutMs: number;
}

/**
 * Downloads a message's files through getFile and `/file/bot<token>/<path>`, within
 * `max_attachment_bytes`: a file whose reported size is over the limit is not fetched at all,
 * and one whose size was not reported is cut off as soon as it passes the limit. The download
 * URL carries the token, so it is never put on the `Attachment`.
 */
export class AttachmentFetcher {
  constructor(private readonly deps: AttachmentFetcherDeps) {}

  async fetch(ref: AttachmentRef, signal: AbortSignal): Promise<FetchResult> {
    const { maxBytes } = this.deps;
    const skip = (reason: SkippedAttachment['reason'], detail: string, size = ref.fileSize): FetchResult => ({
      skipped: { kind: ref.kind, ...(ref.name ? { name: ref.name } : {}), mime_type: ref.mimeType, ...(size !== undefined ? { size } : {}), reason, detail },
    });
    if (ref.fileSize !== undefined && ref.fileSize > maxBytes) return skip('over_limit', `${ref.fileSize} bytes is over max_attachment_bytes (${maxBytes})`);
    if (ref.fileSize !== undefined && ref.fileSize > BOT_API_DOWNLOAD_LIMIT) return skip('too_big_for_bot_api', `${ref.fileSize} bytes is over the Bot API's 20 MB download limit`);
    let path: string | undefined;
    try {
      const file = await this.deps.api.getFile(ref.fileId, grammySignal(signal));
      if (file.file_size !== undefined && file.file_size > maxBytes) return skip('over_limit', `${file.file_size} bytes is over max_attachment_bytes (${maxBytes})`, file.file_size);
      path = file.file_path;
    } catch (error) {
      const detail = describeFailure(error, this.deps);
      return skip(/file is too big/i.test(detail) ? 'too_big_for_bot_api' : 'download_failed', detail);
    }
    if (!path) return skip('download_failed', 'getFile returned no file_path');
    return this.download(path, ref, signal, skip);
  }

  private async download(path: string, ref: AttachmentRef, outer: AbortSignal, skip: (reason: SkippedAttachment['reason'], detail: string, size?: number) => FetchResult): Promise<FetchResult> {
    const { apiRoot, token, maxBytes, timers, timeoutMs } = this.deps;
    const controller = new AbortController();
    const onAbort = () => controller.abort(outer.reason);
    outer.addEventListener('abort', onAbort, { once: true });
    const timer = timers.setTimeout(() => controller.abort(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    try {
      const response = await fetch(`${apiRoot}/file/bot${token}/${path.split('/').map(encodeURIComponent).join('/')}`, { signal: controller.signal });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return skip('download_failed', `the file download answered ${response.status}`);
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (declared > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        return skip('over_limit', `${declared} bytes is over max_attachment_bytes (${maxBytes})`, declared);
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      // Leaving the loop early cancels the body, which closes the download.
      for await (const chunk of response.body ?? []) {
        total += chunk.byteLength;
        if (total > maxBytes) break;
        chunks.push(chunk);
      }
      if (total > maxBytes) return skip('over_limit', `passed max_attachment_bytes (${maxBytes}) while downloading; the rest was not fetched`, undefined);
      const data = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        data.set(chunk, at);
        at += chunk.byteLength;
      }
      return { attachment: { mimeType: ref.mimeType, ...(ref.name ? { name: ref.name } : {}), data } };
    } catch (error) {
      const reason = controller.signal.aborted ? String((controller.signal.reason as Error)?.message ?? 'aborted') : describeFailure(error, { apiRoot, token });
      return skip('download_failed', `the file download failed: ${reason}`);
    } finally {
      timers.clearTimeout(timer);
      outer.removeEventListener('abort', onAbort);
    }
  }
}
