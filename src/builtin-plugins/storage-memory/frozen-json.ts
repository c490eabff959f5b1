import { deepFreeze, parseJsonColumn } from '@nexus/plugin-sdk/storage';

/** JSON text parsed and frozen all the way down, for every reader to share. */
export function frozenJson<T>(text: string): T {
  return deepFreeze(parseJsonColumn<T>(text));
}
