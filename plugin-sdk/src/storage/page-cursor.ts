import { ValidationError } from '../contracts/index.js';

/**
 * Opaque keyset cursors: the id of the last item on the previous page. Keyset paging stays correct
 * while rows are added or removed between pages, which offsets do not.
 */
export function encodeCursor(lastId: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: lastId }), 'utf8').toString('base64url');
}

/** The id to continue after; a `ValidationError` for anything this store did not issue. */
export function decodeCursor(cursor: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { v?: unknown; after?: unknown };
    if (parsed.v === 1 && typeof parsed.after === 'string' && parsed.after.length > 0) return parsed.after;
  } catch {
    // Falls through to the same error as a well-formed but foreign cursor.
  }
  throw new ValidationError('page.cursor', 'is not a cursor this store issued; pass the nextCursor of the previous page, or omit it for the first page');
}
