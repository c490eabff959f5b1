/**
 * The inline part of the small Markdown reader the dialect converters share. It reads what
 * models write: `code`, **bold**, __bold__, *italic*, _italic_, ~~strike~~, ||spoiler||,
 * `[links](url)`, `![images](url)`, `<autolinks>` and backslash escapes. Markup that is not closed
 * stays literal text, so a half-streamed reply renders without surprises.
 */

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'code'; readonly text: string }
  | { readonly kind: 'bold' | 'italic' | 'strike' | 'spoiler'; readonly children: readonly Inline[] }
  | { readonly kind: 'link'; readonly href: string; readonly children: readonly Inline[] };

type Styled = 'bold' | 'italic' | 'strike' | 'spoiler';

const DELIMITERS: readonly (readonly [string, Styled])[] = [
  ['**', 'bold'],
  ['__', 'bold'],
  ['~~', 'strike'],
  ['||', 'spoiler'],
  ['*', 'italic'],
  ['_', 'italic'],
];

const ESCAPABLE = /[!-/:-@[-`{-~]/;
const AUTOLINK = /^<((?:https?|mailto|tg):[^\s<>]+)>/i;

/** Parses one block's text into inline nodes. */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const flush = () => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\' && i + 1 < source.length && ESCAPABLE.test(source[i + 1]!)) {
      text += source[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const span = codeSpan(source, i);
      if (span) {
        flush();
        out.push({ kind: 'code', text: span.text });
        i = span.end;
      } else {
        const run = backtickRun(source, i);
        text += source.slice(i, i + run);
        i += run;
      }
      continue;
    }
    if (ch === '<') {
      const auto = AUTOLINK.exec(source.slice(i));
      if (auto) {
        flush();
        out.push({ kind: 'link', href: auto[1]!, children: [{ kind: 'text', text: auto[1]! }] });
        i += auto[0].length;
        continue;
      }
    }
    if (ch === '[' || (ch === '!' && source[i + 1] === '[')) {
      const link = linkAt(source, ch === '!' ? i + 1 : i);
      if (link) {
        flush();
        const children = ch === '!' && link.label === '' ? [{ kind: 'text' as const, text: 'image' }] : parseInline(link.label);
        out.push({ kind: 'link', href: link.href, children });
        i = link.end;
        continue;
      }
    }
    const styled = emphasisAt(source, i);
    if (styled) {
      flush();
      out.push({ kind: styled.kind, children: parseInline(styled.inner) });
      i = styled.end;
      continue;
    }
    text += ch;
    i += 1;
  }
  flush();
  return out;
}

/** Every character a reader would see, markup removed: for plain-text fallbacks. */
export function inlineText(nodes: readonly Inline[]): string {
  return nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : inlineText(n.children))).join('');
}

function backtickRun(s: string, i: number): number {
  let n = 0;
  while (s[i + n] === '`') n++;
  return n;
}

/** A code span opened at `i`: closed by a run of exactly as many backticks. */
function codeSpan(s: string, i: number): { text: string; end: number } | undefined {
  const run = backtickRun(s, i);
  for (let j = i + run; j < s.length; ) {
    if (s[j] !== '`') {
      j++;
      continue;
    }
    const close = backtickRun(s, j);
    if (close === run) {
      let text = s.slice(i + run, j).replace(/\n/g, ' ');
      if (text.length > 2 && text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') text = text.slice(1, -1);
      return text === '' ? undefined : { text, end: j + close };
    }
    j += close;
  }
  return undefined;
}

/** `[label](href "title")` starting at the `[` at `i`. */
function linkAt(s: string, i: number): { label: string; href: string; end: number } | undefined {
  let depth = 0;
  let j = i;
  for (; j < s.length; j++) {
    const c = s[j];
    if (c === '\\') j++;
    else if (c === '`') {
      const span = codeSpan(s, j);
      if (span) j = span.end - 1;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) break;
  }
  if (j >= s.length || s[j + 1] !== '(') return undefined;
  let parens = 0;
  let k = j + 2;
  for (; k < s.length; k++) {
    const c = s[k];
    if (c === '\n') return undefined;
    if (c === '(') parens++;
    else if (c === ')' && parens-- === 0) break;
  }
  if (k >= s.length) return undefined;
  const target = s.slice(j + 2, k).trim();
  const href = /^<([^>]*)>/.exec(target)?.[1] ?? target.split(/\s+/)[0] ?? '';
  if (href === '') return undefined;
  return { label: s.slice(i + 1, j), href, end: k + 1 };
}

function isSpace(c: string | undefined): boolean {
  return c === undefined || /\s/.test(c);
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

/** Emphasis opened at `i` with its closing delimiter, or undefined when it is plain text. */
function emphasisAt(s: string, i: number): { kind: Styled; inner: string; end: number } | undefined {
  for (const [delimiter, kind] of DELIMITERS) {
    if (!s.startsWith(delimiter, i)) continue;
    const after = s[i + delimiter.length];
    if (isSpace(after)) return undefined;
    // snake_case and 2*3*4 are words, not emphasis.
    if (delimiter[0] === '_' && isWordChar(s[i - 1])) return undefined;
    const close = closingDelimiter(s, i + delimiter.length, delimiter);
    if (close === undefined) return undefined;
    return { kind, inner: s.slice(i + delimiter.length, close), end: close + delimiter.length };
  }
  return undefined;
}

function closingDelimiter(s: string, from: number, delimiter: string): number | undefined {
  for (let j = from + 1; j <= s.length - delimiter.length; j++) {
    const c = s[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '`') {
      const span = codeSpan(s, j);
      if (span) j = span.end - 1;
      continue;
    }
    if (c === '\n' && s[j + 1] === '\n') return undefined;
    if (!s.startsWith(delimiter, j) || isSpace(s[j - 1])) continue;
    if (delimiter === '*' && (s[j + 1] === '*' || s[j - 1] === '*')) {
      j++;
      continue;
    }
    if (delimiter[0] === '_' && isWordChar(s[j + delimiter.length])) continue;
    // In `***both***` the bold closes at the end of the run, leaving `*both*` inside.
    while (delimiter.length === 2 && s[j + 2] === delimiter[0]) j++;
    return j;
  }
  return undefined;
}
