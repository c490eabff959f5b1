export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
  /** Header labels; with neither, no `---`/`+++` header is printed. */
  readonly fromLabel?: string;
  readonly toLabel?: string;
}

type Edit = { readonly op: ' ' | '-' | '+'; readonly text: string; readonly a: number; readonly b: number };

/**
 * A unified-style line diff (`@@ -a,n +b,m @@` hunks) from a longest-common-subsequence table.
 * Config files are small, so the quadratic table is fine; equal heads and tails are trimmed
 * first so the table covers only the changed middle. Returns '' when the texts are equal.
 */
export function renderDiff(before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const edits = lineEdits(splitLines(before), splitLines(after));
  const context = options.context ?? 3;
  const out: string[] = [];
  if (options.fromLabel !== undefined || options.toLabel !== undefined) {
    out.push(`--- ${options.fromLabel ?? 'before'}`, `+++ ${options.toLabel ?? 'after'}`);
  }
  for (const [start, end] of hunkRanges(edits, context)) {
    const hunk = edits.slice(start, end);
    const oldLines = hunk.filter((e) => e.op !== '+').length;
    const newLines = hunk.filter((e) => e.op !== '-').length;
    // Unified diffs number an empty side from the line before it.
    const oldStart = oldLines === 0 ? hunk[0]!.a : hunk[0]!.a + 1;
    const newStart = newLines === 0 ? hunk[0]!.b : hunk[0]!.b + 1;
    out.push(`@@ -${oldStart},${oldLines} +${newStart},${newLines} @@`);
    for (const edit of hunk) out.push(`${edit.op}${edit.text}`);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  return (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
}

/** Every line of both texts in order, each kept, removed or added; `a`/`b` count lines before it. */
function lineEdits(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);

  // lcs[i][j]: length of the longest common subsequence of midA[i..] and midB[j..].
  const width = midB.length + 1;
  const lcs = new Uint32Array((midA.length + 1) * width);
  for (let i = midA.length - 1; i >= 0; i--) {
    for (let j = midB.length - 1; j >= 0; j--) {
      lcs[i * width + j] = midA[i] === midB[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }

  const edits: Edit[] = [];
  for (let k = 0; k < head; k++) edits.push({ op: ' ', text: a[k]!, a: k, b: k });
  let i = 0;
  let j = 0;
  while (i < midA.length || j < midB.length) {
    if (i < midA.length && j < midB.length && midA[i] === midB[j]) {
      edits.push({ op: ' ', text: midA[i]!, a: head + i++, b: head + j++ });
    } else if (i < midA.length && (j === midB.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      edits.push({ op: '-', text: midA[i]!, a: head + i++, b: head + j });
    } else {
      edits.push({ op: '+', text: midB[j]!, a: head + i, b: head + j++ });
    }
  }
  for (let k = 0; k < tail; k++) {
    edits.push({ op: ' ', text: a[a.length - tail + k]!, a: a.length - tail + k, b: b.length - tail + k });
  }
  return edits;
}

/** [start, end) index ranges of `edits` to print: each change with `context` lines around, nearby ones merged. */
function hunkRanges(edits: readonly Edit[], context: number): [number, number][] {
  const ranges: [number, number][] = [];
  edits.forEach((edit, index) => {
    if (edit.op === ' ') return;
    const start = Math.max(0, index - context);
    const end = Math.min(edits.length, index + context + 1);
    const last = ranges.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else ranges.push([start, end]);
  });
  return ranges;
}
