import type { ToolFilterSettings } from './settings.js';

/** Why a pattern cannot be used, or `undefined` when it can. */
export function invalidGlob(pattern: string): string | undefined {
  if (pattern.length === 0) return 'it is empty';
  if (pattern.trim() !== pattern) return 'it starts or ends with whitespace';
  return undefined;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Compiles a filter once; the returned predicate says whether a tool name passes it. */
export function compileToolFilter(filter: ToolFilterSettings): (name: string) => boolean {
  const include = filter.include?.map(globToRegExp);
  const exclude = filter.exclude.map(globToRegExp);
  return (name) => (include === undefined || include.some((re) => re.test(name))) && !exclude.some((re) => re.test(name));
}
