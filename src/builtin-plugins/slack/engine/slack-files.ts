import type { Attachment } from '@nexus/plugin-sdk';
import { downloadWithin } from '@nexus/plugin-sdk/channel';
import type { SlackFileInfo } from './slack-events.js';

/** A file that was not handed on, and why (reported in the message's metadata). */
export interface SkippedFile {
  readonly name: string;
  readonly size?: number;
  readonly reason: string;
}

export interface SlackFileDownloadOptions {
  readonly botToken: string;
  readonly apiUrl: string;
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly fetch: typeof fetch;
  readonly signal: AbortSignal;
}

/**
 * Downloads a message's files with the bot token, each within `max_attachment_bytes`. The token
 * is only ever sent to Slack itself: an https `*.slack.com` URL, or the configured API's origin.
 */
export async function downloadSlackFiles(
  files: readonly SlackFileInfo[],
  options: SlackFileDownloadOptions,
): Promise<{ readonly attachments: Attachment[]; readonly skipped: SkippedFile[] }> {
  const attachments: Attachment[] = [];
  const skipped: SkippedFile[] = [];
  for (const file of files) {
    const name = file.name ?? file.title ?? file.id ?? 'file';
    const skip = (reason: string) => skipped.push({ name, ...(file.size !== undefined ? { size: file.size } : {}), reason });
    const url = file.url_private_download ?? file.url_private;
    if (file.mode === 'tombstone' || file.mode === 'hidden_by_limit') {
      skip(file.mode === 'tombstone' ? 'the file was deleted' : "the file is hidden by the workspace plan's storage limit");
      continue;
    }
    if (!url) {
      skip('Slack gave no download URL');
      continue;
    }
    if (!isSlackUrl(url, options.apiUrl)) {
      skip(`its URL is not on Slack (${new URL(url).origin}), so the bot token is not sent there`);
      continue;
    }
    if (file.size !== undefined && file.size > options.maxBytes) {
      skip(`it is larger than max_attachment_bytes (${file.size} > ${options.maxBytes} bytes)`);
      continue;
    }
    const result = await downloadWithin({
      url,
      headers: { authorization: `Bearer ${options.botToken}` },
      maxBytes: options.maxBytes,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      fetch: options.fetch,
    });
    if (!result.ok) {
      skip(result.reason);
      continue;
    }
    const expected = file.mimetype ?? result.mimeType;
    if (result.mimeType === 'text/html' && !expected.startsWith('text/html')) {
      skip("Slack answered with its sign-in page instead of the file: the bot token lacks the files:read scope (add it under OAuth & Permissions and reinstall the app)");
      continue;
    }
    attachments.push({ name, mimeType: expected, data: result.data });
  }
  return { attachments, skipped };
}

function isSlackUrl(url: string, apiUrl: string): boolean {
  try {
    const target = new URL(url);
    if (target.origin === new URL(apiUrl).origin) return true;
    return target.protocol === 'https:' && (target.hostname === 'slack.com' || target.hostname.endsWith('.slack.com'));
  } catch {
    return false;
  }
}
