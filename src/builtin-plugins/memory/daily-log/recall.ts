import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { MemoryScope } from '../config/index.js';
import { parseEntries, tagPart, type LogEntry } from './log-entry.js';
import { redactSecrets } from './secret-redaction.js';
import { daysBefore } from './zoned-time.js';

export interface RecallRequest {
  readonly workspaceDir: string;
  /** The daily folder relative to the workspace. */
  readonly directory: string;
  /** Today in the agent's time zone, `YYYY-MM-DD`. */
  readonly today: string;
  /** 2 is today and yesterday; 0 recalls nothing. */
  readonly days: number;
  readonly maxLines: number;
  readonly scope: MemoryScope;
  /** The session asking: its channel and session key (the values its entries are tagged with). */
  readonly channel?: string;
  readonly session?: string;
}

export interface RecalledDay {
  readonly date: string;
  /** Workspace-relative. */
  readonly path: string;
  readonly lines: readonly string[];
}

export interface Recall {
  /** Oldest day first; days with nothing to show are left out. */
  readonly days: readonly RecalledDay[];
  /** Lines that matched the scope but gave way to newer ones. */
  readonly omitted: number;
}

/**
 * The last `maxLines` lines of the last `days` daily files that the scope lets this session see:
 * `session`, entries tagged with its channel and session; `channel`, entries tagged with its
 * channel; `global`, everything, untagged lines included. A session scope without a session (or a
 * channel scope without a channel) recalls nothing rather than everything.
 */
export async function recallRecent(request: RecallRequest): Promise<Recall> {
  if (request.days <= 0) return { days: [], omitted: 0 };
  const keep = entryFilter(request);
  if (!keep) return { days: [], omitted: 0 };
  const dates = Array.from({ length: request.days }, (_, i) => daysBefore(request.today, request.days - 1 - i));
  const matched: { date: string; path: string; lines: string[] }[] = [];
  for (const date of dates) {
    const path = `${request.directory}/${date}.md`;
    const entries = await dayEntries(join(request.workspaceDir, path));
    if (entries === undefined) continue;
    const lines = entries.filter(keep).flatMap((entry) => entry.lines);
    if (lines.length > 0) matched.push({ date, path, lines });
  }
  let budget = request.maxLines;
  let omitted = 0;
  const days: RecalledDay[] = [];
  for (const day of matched.reverse()) {
    const kept = day.lines.slice(Math.max(0, day.lines.length - budget));
    omitted += day.lines.length - kept.length;
    budget -= kept.length;
    if (kept.length > 0) days.unshift({ ...day, lines: kept });
  }
  return { days, omitted };
}

/** Parsed, redacted daily files by path, reused while size and time stamp stay the same (recall runs every turn). */
const parsedDays = new Map<string, { readonly mtimeMs: number; readonly size: number; readonly entries: readonly LogEntry[] }>();
const PARSED_DAYS_KEPT = 64;

async function dayEntries(file: string): Promise<readonly LogEntry[] | undefined> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (info === undefined) return undefined;
  const known = parsedDays.get(file);
  if (known && known.mtimeMs === info.mtimeMs && known.size === info.size) return known.entries;
  const text = await readFile(file, 'utf8');
  const entries = parseEntries(text).map((entry) => ({ ...entry, lines: entry.lines.map(redactSecrets) }));
  parsedDays.delete(file);
  if (parsedDays.size >= PARSED_DAYS_KEPT) parsedDays.delete(parsedDays.keys().next().value!);
  parsedDays.set(file, { mtimeMs: info.mtimeMs, size: info.size, entries });
  return entries;
}

function entryFilter(request: RecallRequest): ((entry: LogEntry) => boolean) | undefined {
  if (request.scope === 'global') return () => true;
  if (!request.channel) return undefined;
  const channel = tagPart(request.channel, false);
  if (request.scope === 'channel') return (entry) => entry.tag?.channel === channel;
  if (!request.session) return undefined;
  const session = tagPart(request.session, true);
  return (entry) => entry.tag?.channel === channel && entry.tag.session === session;
}

/** The recall as a prompt section: each day's file named, older lines replaced by a marker; undefined when empty. */
export function renderRecall(recall: Recall): string | undefined {
  if (recall.days.length === 0) return undefined;
  const parts = ['Recent memory (from the daily log):'];
  if (recall.omitted > 0) parts.push(`[… ${recall.omitted} earlier line${recall.omitted === 1 ? '' : 's'} not shown]`);
  for (const day of recall.days) parts.push(`${day.path}:`, ...day.lines);
  return parts.join('\n');
}
