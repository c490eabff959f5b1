import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionStore } from '@nexus/plugin-sdk';
import { planMigrations, SqlMigrator } from '../../../plugin-sdk/src/storage-sql/migrations/index.js';
import { createSqlStores, type SqlBackend } from '../../../plugin-sdk/src/storage-sql/sql/index.js';
import { openPostgres } from '../../../src/builtin-plugins/storage-postgres/postgres-backend.js';
import { openSqlite } from '../../../src/builtin-plugins/storage-sqlite/sqlite-backend.js';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { startChild } from './child-process-kit.js';
import { freshDatabase, postgresSkipReason, query } from './postgres-test-kit.js';
import { tempDir } from './storage-test-kit.js';

const clock = { now: () => Date.now() };

async function migrated(backend: SqlBackend): Promise<SqlBackend> {
  await new SqlMigrator(backend, async () => planMigrations(backend.dialect, []), () => Date.now()).up();
  return backend;
}

/** How a rejected store call looks to its caller. */
function failureOf(error: unknown): { readonly name: string; readonly code: unknown; readonly message: string } {
  const e = error as Error & { code?: unknown };
  return { name: e.name, code: e.code, message: e.message };
}

/** Appends in `sessionCount` sessions at once, `inFlight` at a time each, until `stop()`; every call's outcome is kept. */
function appendUnderLoad(sessions: SessionStore, ids: readonly string[], inFlight: number) {
  const outcomes: PromiseSettledResult<unknown>[] = [];
  let running = true;
  let acked = 0;
  const workers = ids.flatMap((sessionId) =>
    Array.from({ length: inFlight }, async () => {
      for (let i = 0; running; i++) {
        const [outcome] = await Promise.allSettled([sessions.appendMessage({ sessionId, role: 'user', content: `load ${i}` })]);
        outcomes.push(outcome!);
        if (outcome!.status === 'fulfilled') acked += 1;
      }
    }),
  );
  return {
    acked: () => acked,
    outcomes,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('PostgreSQL backends terminated under load', () => {
  it.skipIf(postgresSkipReason() !== undefined)(
    'keeps the process alive: calls cut off fail as unavailable in plain words, and the store serves again',
    { timeout: 60_000 },
    async () => {
      const url = await freshDatabase('faults');
      const logger = new MemoryLogger();
      const backend = await migrated(await openPostgres({ url, maxConnections: 6, connMaxLifetimeMs: 60_000, logger }));
      try {
        const { sessions } = createSqlStores(backend, clock);
        const ids = await Promise.all(Array.from({ length: 4 }, async (_, k) => (await sessions.create({ agentId: 'main', channel: 'test', key: `main:test:${k}` })).id));
        const load = appendUnderLoad(sessions, ids, 4);
        await until(() => load.acked() >= 200, '200 acknowledged appends');

        // Every backend of this database but the one doing the terminating, while queries run on
        // them. A backend caught between two queries only costs the pool an idle connection, so
        // this goes on, round after round, until some call in flight was cut off.
        const failed = () => load.outcomes.some((o) => o.status === 'rejected');
        for (let round = 0; round < 20 && !failed(); round++) {
          const terminated = await query<{ pid: number }>(url, 'SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
          expect(terminated.length).toBeGreaterThan(0);
          const ackedAtKill = load.acked();
          await until(() => load.acked() >= ackedAtKill + 100, '100 more acknowledged appends after the kill');
        }
        await load.stop();

        const failures = load.outcomes.flatMap((o) => (o.status === 'rejected' ? [failureOf(o.reason)] : []));
        expect(failures.length).toBeGreaterThan(0);
        for (const failure of failures) {
          expect(failure).toMatchObject({ name: 'StoreUnavailableError', code: 'unavailable' });
          expect(failure.message).toBe('the database is unavailable: the connection to PostgreSQL was lost or refused; retry shortly');
        }
        // The operator still learns what the database said, from the log.
        expect(logger.entries.some((e) => e.level === 'warn' && /answered as unavailable: .*(terminat|Connection)/.test(e.msg))).toBe(true);
        const after = await sessions.appendMessage({ sessionId: ids[0]!, role: 'user', content: 'after the storm' });
        expect((await sessions.history(ids[0]!, 1)).map((m) => m.id)).toEqual([after.id]);
      } finally {
        await backend.close();
      }
    },
  );
});

describe('SQLite held by another process', () => {
  it('fails a write held up past busy_timeout as unavailable in plain words, and writes again once the lock is gone', { timeout: 30_000 }, async () => {
    const file = join(tempDir(), 'locked.db');
    const backend = await migrated(openSqlite({ file, busyTimeoutMs: 150, synchronous: 'normal' }));
    const child = startChild('lock-child.ts', [file]);
    try {
      const { sessions } = createSqlStores(backend, clock);
      expect(await child.nextLine()).toBe('locked');

      const refused = await sessions.create({ agentId: 'main', channel: 'test', key: 'main:test:locked' }).then(
        () => undefined,
        (error: unknown) => failureOf(error),
      );
      expect(refused).toEqual({
        name: 'StoreUnavailableError',
        code: 'unavailable',
        message: 'the database is busy: another process has held its write lock for longer than database.busy_timeout; retry shortly',
      });

      child.process.stdin.write('release\n');
      expect(await child.nextLine()).toBe('released');
      const session = await sessions.create({ agentId: 'main', channel: 'test', key: 'main:test:locked' });
      await sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'written' });
      expect((await sessions.history(session.id, 5)).map((m) => m.content)).toEqual(['written']);
    } finally {
      child.process.kill();
      await backend.close();
    }
  });
});
