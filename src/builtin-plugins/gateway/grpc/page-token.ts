import { invalidArgument } from './status-error.js';

export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

/**
 * Page tokens are opaque to clients: the store's cursor and the query it belongs to, base64url.
 * Binding the query means a token replayed against another filter fails clearly instead of
 * paging through the wrong list.
 */
export function encodePageToken(query: string, cursor: string | undefined): string {
  return cursor === undefined ? '' : Buffer.from(JSON.stringify({ q: query, c: cursor }), 'utf8').toString('base64url');
}

/** The store cursor in `token`, undefined for the first page; INVALID_ARGUMENT if it is not ours. */
export function decodePageToken(query: string, token: string): string | undefined {
  if (token === '') return undefined;
  let decoded: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(token)) throw new Error('not base64url');
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidArgument('invalid page_token: pass the next_page_token of the previous response unchanged, or leave it empty for the first page');
  }
  const { q, c } = (decoded ?? {}) as { q?: unknown; c?: unknown };
  if (typeof q !== 'string' || typeof c !== 'string') {
    throw invalidArgument('invalid page_token: pass the next_page_token of the previous response unchanged, or leave it empty for the first page');
  }
  if (q !== query) throw invalidArgument('invalid page_token: it belongs to a list with other filters; start again without a page_token');
  return c;
}

/** `page_size` 0 means the default; more than the maximum is capped; negative is an error. */
export function pageSize(requested: number): number {
  if (!Number.isInteger(requested) || requested < 0) throw invalidArgument(`invalid page_size ${requested}: use 0 (default ${DEFAULT_PAGE_SIZE}) up to ${MAX_PAGE_SIZE}`);
  return requested === 0 ? DEFAULT_PAGE_SIZE : Math.min(requested, MAX_PAGE_SIZE);
}
