import { parseDuration } from '@nexus/plugin-sdk';
import type { Diagnostic, DiagnosticLevel } from '@nexus/plugin-sdk';

export const PLUGIN_ID = 'cron';

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function pointerTo(...segments: readonly (string | number)[]): string {
  return segments.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** Collects the problems of one job, each located by a JSON pointer under the job's own. */
export class JobProblems {
  readonly list: Diagnostic[] = [];

  constructor(
    /** The job's pointer, e.g. `/cron/jobs/nightly`. */
    readonly base: string,
    /** The file the section came from, when known. */
    private readonly file?: string,
  ) {}

  add(level: DiagnosticLevel, code: string, path: string, message: string, hint: string): void {
    const pointer = `${this.base}${path}`;
    this.list.push({ level, code, pluginId: PLUGIN_ID, message, hint, source: this.file !== undefined ? { file: this.file, pointer } : { pointer } });
  }

  error(code: string, path: string, message: string, hint: string): void {
    this.add('error', code, path, message, hint);
  }

  warning(code: string, path: string, message: string, hint: string): void {
    this.add('warning', code, path, message, hint);
  }

  get failed(): boolean {
    return this.list.some((d) => d.level === 'error');
  }

  /** A duration setting in ms: `fallback` when absent, undefined (and an error) when malformed or not positive. */
  duration(path: string, value: unknown, fallback: string | undefined, what: string): number | undefined {
    const text = value ?? fallback;
    if (text === undefined) return undefined;
    const ms = typeof text === 'string' ? parseDuration(text) : undefined;
    if (ms === undefined || ms <= 0) {
      this.error('cron.duration.invalid', path, `${what} is ${JSON.stringify(text)}, which is not a positive duration`, 'write a duration such as 30s, 5m, 1h or 1h30m (units: ms, s, m, h, d)');
      return undefined;
    }
    return ms;
  }
}
