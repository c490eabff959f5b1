import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChild } from './child-process-kit.js';
import { freshDatabase, postgresSkipReason, query } from './postgres-test-kit.js';
import { CORE_NAMES, NOTES_NAMES, tempDir } from './storage-test-kit.js';

const RACERS = 3;
/** Each racer is a Node process compiling TypeScript through jiti: slow on a busy machine. */
const TIMEOUT_MS = 120_000;

/** Starts `RACERS` migrator processes on one database, lets them go at once, and returns what each applied. */
async function race(kind: 'sqlite' | 'postgres', location: string): Promise<string[][]> {
  const children = Array.from({ length: RACERS }, () => startChild('migrate-child.ts', [kind, location]));
  for (const child of children) expect(await child.nextLine().catch((e: Error) => e.message)).toBe('ready');
  for (const child of children) child.process.stdin.write('go\n');
  const results = await Promise.all(
    children.map(async (child) => {
      const line = await child.nextLine();
      const { code } = await child.exited;
      expect(code, child.stderr()).toBe(0);
      return JSON.parse(line) as string[];
    }),
  );
  return results;
}

function expectEachAppliedOnce(results: string[][]): void {
  const all = results.flat();
  expect(all.sort()).toEqual([...CORE_NAMES, ...NOTES_NAMES].sort());
}

describe('concurrent migrators', () => {
  it('apply each migration exactly once when several processes migrate one SQLite file at the same moment', async () => {
    const file = join(tempDir(), 'race.db');
    expectEachAppliedOnce(await race('sqlite', file));
    const Database = (await import('../../../src/builtin-plugins/storage-sqlite/sqlite-driver.js')).betterSqlite3();
    const db = new Database(file, { readonly: true });
    try {
      expect((db.prepare('SELECT name, seq FROM schema_migrations ORDER BY seq').all() as { name: string; seq: number }[]).map((r) => [r.seq, r.name])).toEqual(
        [...CORE_NAMES, ...NOTES_NAMES].map((name, i) => [i + 1, name]),
      );
    } finally {
      db.close();
    }
  }, TIMEOUT_MS);

  it.skipIf(postgresSkipReason())('apply each migration exactly once when several processes migrate one PostgreSQL database at the same moment', async () => {
    const url = await freshDatabase('race');
    expectEachAppliedOnce(await race('postgres', url));
    const rows = await query<{ name: string; seq: number }>(url, 'SELECT name, seq FROM schema_migrations ORDER BY seq');
    expect(rows.map((r) => [r.seq, r.name])).toEqual([...CORE_NAMES, ...NOTES_NAMES].map((name, i) => [i + 1, name]));
  }, TIMEOUT_MS);
});
