import { parseJsonColumn } from '../storage/shared/index.js';

/** JSON text parsed and frozen all the way down, for every reader to share. */
export function frozenJson<T>(text: string): T {
  return deepFreeze(parseJsonColumn<T>(text));
}

/** Freezes parsed JSON all the way down (plain objects and arrays only: it came from JSON.parse). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
