/**
 * The block part of the small Markdown reader: fenced code, headings, quotes, list items,
 * tables, rules and paragraphs. Chat platforms keep line breaks as typed, so a paragraph keeps
 * its inner newlines; `gap` records whether a blank line separated a block from the one before.
 */

export type Block = (
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'heading'; readonly level: number; readonly text: string }
  | { readonly kind: 'code'; readonly lang: string; readonly text: string }
  | { readonly kind: 'quote'; readonly blocks: readonly Block[] }
  | { readonly kind: 'item'; readonly indent: string; readonly marker: string; readonly ordered: boolean; readonly text: string }
  | { readonly kind: 'rule' }
  | { readonly kind: 'table'; readonly lines: readonly string[] }
) & { readonly gap: boolean };

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>/;
const ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const TABLE = /^[ \t]*\|/;

export function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let blank = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      blank = true;
      i++;
      continue;
    }
    const gap = blank && blocks.length > 0;
    blank = false;
    const fence = fenceOpening(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !closesFence(lines[i]!, fence.marker)) body.push(lines[i++]!);
      i++; // the closing line; past the end when the fence was never closed
      blocks.push({ kind: 'code', lang: fence.lang, text: body.join('\n'), gap });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2] ?? '', gap });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      blocks.push({ kind: 'rule', gap });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && QUOTE.test(lines[i]!)) inner.push(lines[i++]!.replace(/^ {0,3}> ?/, ''));
      blocks.push({ kind: 'quote', blocks: parseBlocks(inner.join('\n')), gap });
      continue;
    }
    if (TABLE.test(line)) {
      const rows: string[] = [];
      while (i < lines.length && TABLE.test(lines[i]!)) rows.push(lines[i++]!.trimEnd());
      blocks.push({ kind: 'table', lines: rows, gap });
      continue;
    }
    const item = ITEM.exec(line);
    if (item) {
      const text = [item[3]!.trimEnd()];
      i++;
      while (i < lines.length && lines[i]!.trim() !== '' && !startsBlock(lines[i]!)) text.push(lines[i++]!.trim());
      blocks.push({ kind: 'item', indent: item[1]!, marker: item[2]!, ordered: /\d/.test(item[2]!), text: text.join('\n'), gap });
      continue;
    }
    const text: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && (text.length === 0 || !startsBlock(lines[i]!))) text.push(lines[i++]!.trimEnd());
    blocks.push({ kind: 'paragraph', text: text.join('\n'), gap });
  }
  return blocks;
}

function fenceOpening(line: string): { marker: string; lang: string } | undefined {
  const match = FENCE.exec(line);
  if (!match) return undefined;
  const info = match[2]!.trim();
  if (match[1]!.startsWith('`') && info.includes('`')) return undefined;
  return { marker: match[1]!, lang: info.split(/\s+/)[0] ?? '' };
}

function closesFence(line: string, marker: string): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  return match !== null && match[1]![0] === marker[0] && match[1]!.length >= marker.length;
}

function startsBlock(line: string): boolean {
  return fenceOpening(line) !== undefined || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || TABLE.test(line) || ITEM.test(line);
}
