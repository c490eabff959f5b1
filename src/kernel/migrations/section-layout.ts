import { isDeepStrictEqual } from 'node:util';
import { yamlModule } from '../lazy/index.js';

/** A top-level section: the comments and blank lines above its key, then the key and its value. */
interface Section {
  readonly key: string;
  readonly leading: readonly string[];
  readonly body: readonly string[];
}

interface Layout {
  readonly preamble: readonly string[];
  readonly sections: readonly Section[];
  readonly trailer: readonly string[];
  readonly data: Record<string, unknown>;
}

/**
 * `rendered` is the migrated document as the yaml library prints it, which normalises spacing
 * everywhere (comment alignment, `[a]` vs `[ a ]`, sequence indentation, doubled blank lines).
 * This puts back, line for line, the value of every top-level section that did not change, and
 * every run of comments that stayed where it was, so the operator's diff shows only what the
 * migration did. Falls back to `rendered` whenever the result would mean anything else.
 */
export function keepUntouchedSections(original: string, rendered: string): string {
  const before = layoutOf(original);
  const after = layoutOf(rendered);
  if (!before || !after) return rendered;

  const originals = new Map(before.sections.map((s) => [s.key, s]));
  const lines = [...sameComments(before.preamble, after.preamble)];
  for (const section of after.sections) {
    const old = originals.get(section.key);
    lines.push(...(old ? sameComments(old.leading, section.leading) : section.leading));
    lines.push(...(old && isDeepStrictEqual(before.data[section.key], after.data[section.key]) ? old.body : section.body));
  }
  lines.push(...sameComments(before.trailer, after.trailer));
  const result = lines.length > 0 ? `${lines.join('\n')}\n` : '';

  const check = layoutOf(result);
  const kept = check && isDeepStrictEqual(check.data, after.data) && isDeepStrictEqual(fullLineComments(result), fullLineComments(rendered));
  return kept ? result : rendered;
}

/** The original lines when they hold the same comments as the rendered ones (keeping their blank lines), else the rendered. */
function sameComments(original: readonly string[], rendered: readonly string[]): readonly string[] {
  return isDeepStrictEqual(fullLineComments(original.join('\n')), fullLineComments(rendered.join('\n'))) ? original : rendered;
}

function fullLineComments(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('#'))
    .sort();
}

/** A block-mapping document cut into top-level sections. */
function layoutOf(text: string): Layout | undefined {
  const yaml = yamlModule();
  const counter = new yaml.LineCounter();
  const doc = yaml.parseDocument(text, { lineCounter: counter });
  const root = doc.contents;
  if (doc.errors.length > 0 || !yaml.isMap(root) || root.flow) return undefined;

  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  const keyLines: number[] = [];
  const keys: string[] = [];
  for (const pair of root.items) {
    if (!yaml.isScalar(pair.key) || typeof pair.key.value !== 'string' || !pair.key.range) return undefined;
    const position = counter.linePos(pair.key.range[0]);
    if (position.col !== 1) return undefined;
    keyLines.push(position.line - 1);
    keys.push(pair.key.value);
  }
  if (keyLines.length === 0) return undefined;

  const loose = (line: string | undefined) => line !== undefined && (line.trim() === '' || line.startsWith('#'));
  // A leading comment block ends at its last blank line; the yaml library gives that part to the document.
  let preambleEnd = 0;
  for (let i = 0; i < keyLines[0]!; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || line.startsWith('---') || line.startsWith('%')) preambleEnd = i + 1;
    else if (!line.startsWith('#')) return undefined;
  }
  const starts = keyLines.map((keyLine, i) => {
    const floor = i === 0 ? preambleEnd : keyLines[i - 1]! + 1;
    let start = keyLine;
    while (start > floor && loose(lines[start - 1])) start--;
    return start;
  });
  let end = lines.length;
  while (end > keyLines.at(-1)! + 1 && loose(lines[end - 1])) end--;

  const sections = keys.map((key, i) => ({
    key,
    leading: lines.slice(starts[i], keyLines[i]),
    body: lines.slice(keyLines[i], i + 1 < keys.length ? starts[i + 1] : end),
  }));
  return { preamble: lines.slice(0, preambleEnd), sections, trailer: lines.slice(end), data: doc.toJS() as Record<string, unknown> };
}
