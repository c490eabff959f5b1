/** Who an entry belongs to: the channel and session it was written in. Absent for global notes. */
export interface EntryTag {
  readonly channel: string;
  readonly session: string;
}

/** One entry of a daily file: its first line and any continuation lines, as written. */
export interface LogEntry {
  readonly tag?: EntryTag;
  readonly lines: readonly string[];
}

const TAGGED = /^- \[\d{2}:\d{2}(?::\d{2})?\] \S+ \(([^/()\s]*)\/([^()\s]*)\): /;
const ENTRY_START = /^- \[\d{2}:\d{2}(?::\d{2})?\] /;

/** Channel names never hold `/`, parentheses or spaces in a tag; session keys never hold parentheses or spaces. */
export function tagPart(value: string, allowSlash: boolean): string {
  const cleaned = value.replace(allowSlash ? /[()\s]/g : /[/()\s]/g, '_');
  return cleaned === '' ? '_' : cleaned;
}

/**
 * `- [14:03:22] user (telegram/main:telegram:42): text`, with further lines of the text indented
 * two spaces, so Markdown keeps them in the list item and recall keeps them with their entry.
 * Blank lines inside the text are dropped: they would end the item. The tag records the channel
 * and session, so recall can filter by either (the Go version could not tell a channel apart).
 */
export function formatEntry(time: string, role: string, text: string, tag: EntryTag | undefined): string {
  const who = role.replace(/\s+/g, '_') || 'note';
  const label = tag ? `${who} (${tagPart(tag.channel, false)}/${tagPart(tag.session, true)})` : who;
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  if (lines.length === 0) lines.push('(empty)');
  const [first, ...rest] = lines;
  return [`- [${time}] ${label}: ${first}`, ...rest.map((line) => `  ${line}`)].join('\n') + '\n';
}

/**
 * The entries of a daily file, in order. Headings and blank lines are skipped. Lines someone wrote
 * by hand (not starting an entry, not indented under one) are entries without a tag: recall shows
 * them only with the global scope, since nothing says whose they are.
 */
export function parseEntries(text: string): LogEntry[] {
  const entries: { tag?: EntryTag; lines: string[] }[] = [];
  let current: { tag?: EntryTag; lines: string[] } | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '' || /^#{1,6}\s/.test(line)) {
      current = undefined;
      continue;
    }
    if (ENTRY_START.test(line)) {
      const match = TAGGED.exec(line);
      current = { ...(match ? { tag: { channel: match[1]!, session: match[2]! } } : {}), lines: [line] };
      entries.push(current);
    } else if (current && /^\s/.test(line)) {
      current.lines.push(line);
    } else {
      current = undefined;
      entries.push({ lines: [line] });
    }
  }
  return entries;
}
