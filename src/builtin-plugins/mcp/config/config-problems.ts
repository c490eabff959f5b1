import type { Diagnostic } from '@nexus/plugin-sdk';

/** Collects located problems while a section is read; every problem names its JSON pointer. */
export class ConfigProblems {
  readonly list: Diagnostic[] = [];

  constructor(private readonly file: string | undefined) {}

  error(pointer: string, message: string, hint?: string): void {
    this.list.push({ level: 'error', code: 'mcp.config.invalid', pluginId: 'mcp', message, hint, source: { file: this.file, pointer } });
  }

  warning(pointer: string, message: string, hint?: string): void {
    this.list.push({ level: 'warning', code: 'mcp.config.warning', pluginId: 'mcp', message, hint, source: { file: this.file, pointer } });
  }

  get hasErrors(): boolean {
    return this.list.some((problem) => problem.level === 'error');
  }
}

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function pointerJoin(base: string, ...keys: readonly (string | number)[]): string {
  return base + keys.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** A URL as it may appear in a message: the user-info (which can hold a password) is withheld. */
export function displayUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1(credentials withheld)@');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
