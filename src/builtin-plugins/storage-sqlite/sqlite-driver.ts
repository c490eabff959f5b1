import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * The better-sqlite3 build for this Node. Major 12 is the last that runs on Node 20, but on
 * Node 24 its statement finalizer can abort the process during garbage collection (an upstream
 * bug, fixed in 13 by moving to node-addon-api). 13 needs Node 22+, so it is installed beside 12
 * under an alias and used wherever it can run. Both have the same API.
 */
export function betterSqlite3(): typeof BetterSqlite3 {
  const major = Number(process.versions.node.split('.')[0]);
  return require(major >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3') as typeof BetterSqlite3;
}
