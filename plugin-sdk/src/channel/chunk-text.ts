/**
 * Splitting a reply to a platform's message-length limit (Telegram 4096, Discord 2000, Slack
 * ~4000) at the least damaging place: a paragraph break, never inside a code fence; then a line
 * break, then a space, then anywhere. A code block longer than the limit is split at its lines
 * and each part closed and reopened with the same fence, so every chunk renders on its own.
 *
 * Lengths are UTF-16 code units, which is what JavaScript's `length` counts and what Telegram and
 * Discord count; a hard cut never separates a surrogate pair.
 */

export interface ChunkOptions {
  /** The longest chunk, in UTF-16 code units. */
  readonly limit: number;
}

/** One cut: the chunk to send now and the text still to split. */
export interface SplitResult {
  readonly head: string;
  readonly tail: string;
}

interface Fence {
  /** The opening line as written, without up to three spaces of indentation: "```ts". */
  readonly opener: string;
  /** The run that closes it: "```" or "~~~~". */
  readonly marker: string;
}

interface Line {
  readonly start: number;
  readonly end: number;
  readonly blank: boolean;
  /** The fence this line sits in, before the line itself is read (undefined outside code). */
  readonly inside: Fence | undefined;
  readonly opens: boolean;
  readonly closes: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_START = /^(?:```|~~~)/;

/** Splits `text` into chunks of at most `limit` units; blank chunks are dropped. */
export function chunkText(text: string, options: ChunkOptions): string[] {
  checkLimit(options.limit);
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > 0) {
    const { head, tail } = splitFirst(rest, options);
    if (head.trim() !== '') chunks.push(head);
    rest = tail;
  }
  return chunks;
}

/**
 * The first chunk of `text` and what remains. `tail` starts with the reopened fence when the cut
 * fell inside a code block, so splitting it again continues correctly; streaming drafts use this
 * to seal a full message and carry on with the rest.
 */
export function splitFirst(text: string, options: ChunkOptions): SplitResult {
  const { limit } = options;
  checkLimit(limit);
  if (text.length <= limit) return { head: text, tail: '' };
  const lines = scanLines(text, limit);
  return paragraphCut(text, lines, limit) ?? lineCut(text, lines, limit) ?? wordCut(text, lines, limit) ?? hardCut(text, lines, limit);
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`chunk limit must be a positive integer, got ${limit}`);
}

/** The lines that start within the first `limit` units, with the fence state at each. */
function scanLines(text: string, limit: number): Line[] {
  const lines: Line[] = [];
  let fence: Fence | undefined;
  for (let start = 0; start <= limit && start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    const inside = fence;
    let opens = false;
    let closes = false;
    if (!fence) {
      const match = FENCE.exec(line);
      // A backtick fence's info string may not contain a backtick (CommonMark), so "```a```" is inline code.
      if (match && !(match[1]!.startsWith('`') && match[2]!.includes('`'))) {
        fence = { opener: line.replace(/^ {0,3}/, ''), marker: match[1]! };
        opens = true;
      }
    } else if (closesFence(line, fence)) {
      fence = undefined;
      closes = true;
    }
    lines.push({ start, end, blank: line.trim() === '', inside, opens, closes });
    start = end + 1;
  }
  return lines;
}

function closesFence(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1]![0] === fence.marker[0] && match[1]!.length >= fence.marker.length;
}

/** Text is cut only where the head has something to show. */
function accept(head: string, tail: string, limit: number): SplitResult | undefined {
  return head.length <= limit && head.trim() !== '' ? { head, tail } : undefined;
}

/** The last blank line, or block edge around a code fence, outside any fence. */
function paragraphCut(text: string, lines: readonly Line[], limit: number): SplitResult | undefined {
  for (let i = lines.length - 1; i >= 1; i--) {
    const line = lines[i]!;
    if (line.inside) continue;
    if (!(line.blank || line.opens || lines[i - 1]!.closes)) continue;
    const cut = accept(text.slice(0, line.start).trimEnd(), text.slice(line.start).replace(/^(?:[ \t]*\n)+/, ''), limit);
    if (cut) return cut;
  }
  return undefined;
}

/** The last line break; inside a fence the head closes it and the tail reopens it. */
function lineCut(text: string, lines: readonly Line[], limit: number): SplitResult | undefined {
  for (let i = lines.length - 1; i >= 1; i--) {
    const line = lines[i]!;
    const fence = line.inside;
    if (!fence) {
      const cut = accept(text.slice(0, line.start).trimEnd(), text.slice(line.start), limit);
      if (cut) return cut;
      continue;
    }
    // Cutting just before the closing line or just after the opening one would leave an empty block.
    if (line.closes || lines[i - 1]!.opens) continue;
    const cut = accept(`${text.slice(0, line.start)}${fence.marker}`, `${fence.opener}\n${text.slice(line.start)}`, limit);
    if (cut) return cut;
  }
  return undefined;
}

/** The last space or tab within the limit, in a line too long to keep whole. */
function wordCut(text: string, lines: readonly Line[], limit: number): SplitResult | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const fence = line.opens || line.closes ? undefined : line.inside;
    const room = fence ? limit - fence.marker.length - 1 : limit;
    for (let q = Math.min(line.end, room + 1) - 1; q > line.start; q--) {
      const ch = text[q];
      if (ch !== ' ' && ch !== '\t') continue;
      const rest = text.slice(q).replace(/^[ \t]+/, '');
      if (FENCE_START.test(rest)) continue;
      const cut = fence ? accept(`${text.slice(0, q).trimEnd()}\n${fence.marker}`, `${fence.opener}\n${rest}`, limit) : accept(text.slice(0, q).trimEnd(), rest, limit);
      if (cut) return cut;
    }
  }
  return undefined;
}

/**
 * Anywhere, as late as fits, never between the two halves of a surrogate pair. Inside a code
 * block the cut falls in a content line (never in a fence line) and leaves room to close it.
 */
function hardCut(text: string, lines: readonly Line[], limit: number): SplitResult {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.opens || line.closes || line.start >= limit) continue;
    const fence = line.inside;
    let at = Math.min(line.end, fence ? limit - fence.marker.length - 1 : limit);
    if (isHighSurrogate(text.charCodeAt(at - 1))) at--;
    // The cut starts a new line in the tail; a run of backticks there would read as a fence.
    while (at > line.start + 1 && FENCE_START.test(text.slice(at, at + 3))) at--;
    if (at <= line.start) continue;
    if (!fence) return { head: text.slice(0, at), tail: text.slice(at) };
    return { head: `${text.slice(0, at)}\n${fence.marker}`, tail: `${fence.opener}\n${text.slice(at)}` };
  }
  return plainCut(text, limit);
}

/** The last resort for absurdly small limits: a cut that always makes progress. */
function plainCut(text: string, limit: number): SplitResult {
  let at = limit;
  if (at > 1 && isHighSurrogate(text.charCodeAt(at - 1))) at--;
  return { head: text.slice(0, at), tail: text.slice(at) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
