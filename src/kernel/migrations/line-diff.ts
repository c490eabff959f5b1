import { structuredPatch } from 'diff';

export interface DiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  readonly context?: number;
  /** Header labels; with neither, no `---`/`+++` header is printed. */
  readonly fromLabel?: string;
  readonly toLabel?: string;
}

/**
 * A unified line diff (`@@ -a,n +b,m @@` hunks), computed by jsdiff. A missing final newline is
 * not a change here: `doctor` shows what a migration does to the settings, and jsdiff's
 * `\ No newline at end of file` markers would only be noise. Returns '' when the texts are equal.
 */
export function renderDiff(before: string, after: string, options: DiffOptions = {}): string {
  if (before === after) return '';
  const patch = structuredPatch('', '', withFinalNewline(before), withFinalNewline(after), undefined, undefined, { context: options.context ?? 3 });
  const out: string[] = [];
  if (options.fromLabel !== undefined || options.toLabel !== undefined) {
    out.push(`--- ${options.fromLabel ?? 'before'}`, `+++ ${options.toLabel ?? 'after'}`);
  }
  for (const hunk of patch.hunks) {
    // Unified diffs number an empty side from the line before it; jsdiff leaves that to its formatter.
    const oldStart = hunk.oldLines === 0 ? hunk.oldStart - 1 : hunk.oldStart;
    const newStart = hunk.newLines === 0 ? hunk.newStart - 1 : hunk.newStart;
    out.push(`@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@`, ...hunk.lines);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
