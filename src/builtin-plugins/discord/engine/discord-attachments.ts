import type { APIAttachment } from '@discordjs/core';
import type { Attachment } from '@nexus/plugin-sdk';
import { downloadWithin } from '@nexus/plugin-sdk/channel';

/** An attachment that was not handed on, and why (reported in the message's metadata). */
export interface SkippedAttachment {
  readonly name: string;
  readonly size: number;
  readonly reason: string;
}

/**
 * Downloads a message's attachments from Discord's CDN, each within `max_attachment_bytes`
 * (checked against the declared size first, then while reading). CDN URLs are signed, so no
 * token is sent.
 */
export async function downloadAttachments(
  attachments: readonly APIAttachment[],
  options: { readonly maxBytes: number; readonly timeoutMs: number; readonly fetch: typeof fetch; readonly signal: AbortSignal },
): Promise<{ readonly attachments: Attachment[]; readonly skipped: SkippedAttachment[] }> {
  const downloaded: Attachment[] = [];
  const skipped: SkippedAttachment[] = [];
  for (const attachment of attachments) {
    const skip = (reason: string) => skipped.push({ name: attachment.filename, size: attachment.size, reason });
    if (attachment.size > options.maxBytes) {
      skip(`it is larger than max_attachment_bytes (${attachment.size} > ${options.maxBytes} bytes)`);
      continue;
    }
    const result = await downloadWithin({ url: attachment.url, maxBytes: options.maxBytes, timeoutMs: options.timeoutMs, signal: options.signal, fetch: options.fetch });
    if (!result.ok) {
      skip(result.reason);
      continue;
    }
    downloaded.push({ name: attachment.filename, mimeType: attachment.content_type ?? result.mimeType, url: attachment.url, data: result.data });
  }
  return { attachments: downloaded, skipped };
}
