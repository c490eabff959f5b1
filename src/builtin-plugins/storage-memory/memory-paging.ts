import { encodeCursor, type CheckedPage } from '@nexus/plugin-sdk/storage';
import type { Page } from '@nexus/plugin-sdk';

/**
 * One page of `rows` (already filtered), ordered by id, as the SQL stores page: keyset after the
 * cursor's id, `total` counting every match. UUIDv7 ids sort in creation order.
 */
export function pageOf<R extends { readonly id: string }, T>(rows: Iterable<R>, page: CheckedPage, order: 'oldest-first' | 'newest-first', toItem: (row: R) => T): Page<T> {
  const all = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (order === 'newest-first') all.reverse();
  const after = page.after;
  const rest = after === undefined ? all : all.filter((r) => (order === 'oldest-first' ? r.id > after : r.id < after));
  const items = rest.slice(0, page.limit);
  const last = items.at(-1);
  return {
    items: items.map(toItem),
    total: all.length,
    ...(rest.length > page.limit && last ? { nextCursor: encodeCursor(last.id) } : {}),
  };
}
