import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { appendLocked, redactSecrets, type DailyLog } from '../daily-log/index.js';
import { MemoryPathError, type MemoryPaths } from '../paths/index.js';
import type { MemoryAccess } from './memory-access.js';

export interface WriteInput {
  readonly text: string;
  /** `daily` (today's file, the default) or `MEMORY.md` (long-term). */
  readonly target?: 'daily' | 'MEMORY.md';
}

/** What a write did, precise enough to check later that it is still there (flush confirmations). */
export interface WriteReceipt {
  readonly path: string;
  readonly target: 'daily' | 'MEMORY.md';
  /** Byte offset of the written text in the file, its length and SHA-256. */
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
  /** Whether secrets were taken out of the text before it was written. */
  readonly redacted: boolean;
}

/** Longest text one memory_write accepts. */
export const WRITE_MAX_CHARS = 20_000;

/** Whether the agent may write to its workspace (a read-only mount skips the flush). */
export async function isWorkspaceWritable(workspaceDir: string): Promise<boolean> {
  try {
    await access(workspaceDir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Appends a note to today's daily file (tagged with the session) or to MEMORY.md, redacted, under the file's lock. */
export async function writeMemory(paths: MemoryPaths, daily: DailyLog, input: WriteInput, who: MemoryAccess): Promise<WriteReceipt> {
  if (typeof input?.text !== 'string' || input.text.trim() === '') throw new MemoryPathError('invalid', 'text must be a non-empty string: the note to keep');
  if (input.text.length > WRITE_MAX_CHARS) throw new MemoryPathError('invalid', `text is ${input.text.length} characters; memory_write takes at most ${WRITE_MAX_CHARS}: keep the note to what must persist`);
  const target = input.target ?? 'daily';
  if (target !== 'daily' && target !== 'MEMORY.md') throw new MemoryPathError('invalid', `target must be "daily" or "MEMORY.md", not ${JSON.stringify(target)}`);
  if (!(await isWorkspaceWritable(paths.workspaceDir))) throw new MemoryPathError('invalid', `the workspace ${paths.workspaceDir} is read-only, so memory cannot be written`);
  const redacted = redactSecrets(input.text);
  if (target === 'daily') {
    // Resolving the file checks that the daily folder does not lead out of the workspace.
    await paths.resolve(daily.relativePath(daily.today()), false);
    const receipt = await daily.append({ role: 'note', text: redacted, ...(who.channel && who.session ? { tag: { channel: who.channel, session: who.session } } : {}) });
    return { path: receipt.relativePath, target, offset: receipt.offset, bytes: receipt.bytes, sha256: receipt.sha256, redacted: redacted !== input.text };
  }
  const file = await paths.resolve(paths.displayPath(paths.memoryFile), false);
  const body = `${redacted.trim()}\n`;
  const receipt = await appendLocked(file.absolutePath, ({ empty }) => (empty ? `# Long-term memory\n\n${body}` : `\n${body}`));
  const lead = receipt.bytes - Buffer.byteLength(body);
  return { path: file.path, target, offset: receipt.offset + lead, bytes: Buffer.byteLength(body), sha256: sha256(body), redacted: redacted !== input.text };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
