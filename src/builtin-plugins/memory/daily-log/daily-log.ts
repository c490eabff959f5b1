import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '@nexus/plugin-sdk';
import type { FileLockOptions } from './file-lock.js';
import { appendLocked, type AppendReceipt } from './locked-append.js';
import { formatEntry, type EntryTag } from './log-entry.js';
import { redactSecrets } from './secret-redaction.js';
import { ZonedTime } from './zoned-time.js';

export interface DailyLogOptions {
  /** Absolute workspace folder. */
  readonly workspaceDir: string;
  /** The daily folder relative to the workspace (`memory.daily.directory`). */
  readonly directory: string;
  readonly timeZone: string;
  readonly maxEntryChars: number;
  readonly clock: Clock;
  readonly lock?: FileLockOptions;
}

export interface DailyEntry {
  /** `user`, `assistant`, `note`…: who or what wrote it. */
  readonly role: string;
  readonly text: string;
  /** The channel and session it belongs to; absent for a global note. */
  readonly tag?: EntryTag;
  /** When it happened; now when absent. */
  readonly at?: number;
}

export interface DailyAppendReceipt extends AppendReceipt {
  /** Workspace-relative, `/`-separated: `memory/2026-03-01.md`. */
  readonly relativePath: string;
  readonly date: string;
  /** The entry as written, after redaction and truncation. */
  readonly entry: string;
}

/** `memory/YYYY-MM-DD.md` in the workspace, one file per day in the agent's time zone. */
export class DailyLog {
  private readonly zoned: ZonedTime;

  constructor(private readonly options: DailyLogOptions) {
    this.zoned = new ZonedTime(options.timeZone);
  }

  /** Today's date in the log's time zone. */
  today(): string {
    return this.zoned.at(this.options.clock.now()).date;
  }

  relativePath(date: string): string {
    return `${this.options.directory}/${date}.md`;
  }

  absolutePath(date: string): string {
    return join(this.options.workspaceDir, this.options.directory, `${date}.md`);
  }

  /** Appends one entry, redacted and cut to `maxEntryChars`, to the file of the day it happened. */
  async append(entry: DailyEntry): Promise<DailyAppendReceipt> {
    const { date, time } = this.zoned.at(entry.at ?? this.options.clock.now());
    const text = truncate(redactSecrets(entry.text), this.options.maxEntryChars);
    const formatted = formatEntry(time, entry.role, text, entry.tag);
    const receipt = await appendLocked(this.absolutePath(date), ({ empty }) => (empty ? `# ${date}\n\n${formatted}` : formatted), this.options.lock);
    // The heading is part of the first append; the receipt points at the entry alone.
    const headingBytes = receipt.bytes - Buffer.byteLength(formatted);
    return { ...receipt, offset: receipt.offset + headingBytes, bytes: Buffer.byteLength(formatted), sha256: sha256(formatted), relativePath: this.relativePath(date), date, entry: formatted };
  }
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)} … [${text.length - max} more characters not logged]`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
