import { isDeepStrictEqual } from 'node:util';
import { yamlModule } from '../lazy/index.js';

interface Section {
  readonly key: string;
  readonly lines: readonly string[];
}

interface Layout {
  readonly preamble: readonly string[];
  readonly sections: readonly Section[];
  readonly trailer: readonly string[];
  readonly data: Record<string, unknown>;
}

/**
 * `rendered` is the migrated document as the yaml library prints it, which normalises spacing
 * everywhere (comment alignment, `[a]` vs `[ a ]`, sequence indentation). This puts back, line
 * for line, every top-level section whose value did not change, so the operator's diff shows
 * only what the migration did. Falls back to `rendered` whenever the result would mean anything else.
 */
export function keepUntouchedSections(original: string, rendered: string): string {
  const before = layoutOf(original);
  const after = layoutOf(rendered);
  if (!before || !after) return rendered;

  const originals = new Map(before.sections.map((s) => [s.key, s]));
  const kept = after.sections.map((section) => {
    const old = originals.get(section.key);
    return old && isDeepStrictEqual(before.data[section.key], after.data[section.key]) ? { section: old, original: true } : { section, original: false };
  });
  // The file's closing comments follow whichever text the last section came from, so none doubles up.
  const trailer = kept.at(-1)?.original === false ? after.trailer : before.trailer;
  const lines = [...before.preamble, ...kept.flatMap((k) => k.section.lines), ...trailer];
  const result = lines.length > 0 ? `${lines.join('\n')}\n` : '';

  const check = layoutOf(result);
  return check && isDeepStrictEqual(check.data, after.data) ? result : rendered;
}

/** A block-mapping document cut into top-level sections, each with the comments and blank lines above it. */
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

  const sections = keys.map((key, i) => ({ key, lines: lines.slice(starts[i], i + 1 < keys.length ? starts[i + 1] : end) }));
  const data = doc.toJS() as Record<string, unknown>;
  return { preamble: lines.slice(0, preambleEnd), sections, trailer: lines.slice(end), data };
}
