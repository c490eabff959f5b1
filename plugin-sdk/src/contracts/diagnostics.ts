/** Where a problem is: a file position, a JSON pointer into that file's data, or both. */
export interface DiagnosticSource {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** JSON pointer (RFC 6901) into the document `file` holds. */
  readonly pointer?: string;
}

export type DiagnosticLevel = 'error' | 'warning' | 'info';

/**
 * A structured problem report. Every user-visible problem says what went wrong (`message`),
 * where (`pluginId`, `source`) and how to fix it (`hint`).
 */
export interface Diagnostic {
  readonly level: DiagnosticLevel;
  /** Stable, greppable code such as `manifest.invalid` or `plugin.activate-timeout`. */
  readonly code: string;
  readonly message: string;
  readonly pluginId?: string;
  readonly source?: DiagnosticSource;
  readonly hint?: string;
}

/** `file:line:col` (or the best prefix of it), for one-line rendering. */
export function formatSource(source: DiagnosticSource | undefined): string {
  if (!source) return '';
  let where = source.file ?? '';
  if (source.line !== undefined) where += `:${source.line}${source.column !== undefined ? `:${source.column}` : ''}`;
  if (source.pointer !== undefined && source.pointer !== '') where += where ? ` (${source.pointer})` : source.pointer;
  return where;
}
