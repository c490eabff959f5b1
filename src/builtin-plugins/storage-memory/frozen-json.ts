import { deepFreeze, parseJsonColumn } from '../storage/shared/index.js';

/** JSON text parsed and frozen all the way down, for every reader to share. */
export function frozenJson<T>(text: string): T {
  return deepFreeze(parseJsonColumn<T>(text));
}
