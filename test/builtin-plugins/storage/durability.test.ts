import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planMigrations, SqlMigrator } from '@nexus/plugin-sdk/storage-sql';
import { createSqlStores, type SqlBackend } from '@nexus/plugin-sdk/storage-sql';
import { openPostgres } from '../../../src/builtin-plugins/storage-postgres/postgres-backend.js';
import { openSqlite } from '../../../src/builtin-plugins/storage-sqlite/sqlite-backend.js';
import { startChild } from './child-process-kit.js';
import { freshDatabase, postgresSkipReason } from './postgres-test-kit.js';
import { tempDir } from './storage-test-kit.js';

/** Acknowledged appends to wait for before pulling the plug. */
const ACKS_BEFORE_KILL = 150;
const TIMEOUT_MS = 120_000;

async function migrated(backend: SqlBackend): Promise<SqlBackend> {
  await new SqlMigrator(backend, async () => planMigrations(backend.dialect, []), () => Date.now()).up();
  return backend;
}

interface Case {
  readonly name: string;
  readonly skip: string | undefined;
  /** A fresh migrated database: the child's arguments, and a way to open it here. */
  prepare(): Promise<{ readonly args: string[]; open(): Promise<SqlBackend> }>;
}

const cases: Case[] = [
  ...(['full', 'normal'] as const).map((synchronous) => ({
    name: `SQLite (synchronous=${synchronous})`,
    skip: undefined,
    async prepare() {
      const file = join(tempDir(), 'durable.db');
      await (await migrated(openSqlite({ file, busyTimeoutMs: 5_000, synchronous }))).close();
      return { args: ['sqlite', file, synchronous], open: async () => openSqlite({ file, busyTimeoutMs: 5_000, synchronous }) };
    },
  })),
  {
    name: 'PostgreSQL',
    skip: postgresSkipReason(),
    async prepare() {
      const url = await freshDatabase('durable');
      await (await migrated(await openPostgres({ url, maxConnections: 2, connMaxLifetimeMs: 60_000 }))).close();
      return { args: ['postgres', url], open: () => openPostgres({ url, maxConnections: 2, connMaxLifetimeMs: 60_000 }) };
    },
  },
];

describe.each(cases)('durability on $name', ({ skip, prepare }) => {
  it.skipIf(skip)(
    'keeps every acknowledged append when the appending process is SIGKILLed mid-run, with no partial rows',
    async () => {
      const { args, open } = await prepare();
      const child = startChild('append-child.ts', args);
      const first = await child.nextLine();
      expect(first, child.stderr()).toMatch(/^session /);
      const sessionId = first.slice('session '.length);
      const acked: string[] = [];
      while (acked.length < ACKS_BEFORE_KILL) acked.push((await child.nextLine()).replace(/^ack /, ''));
      child.process.kill('SIGKILL');
      expect((await child.exited).signal).toBe('SIGKILL');
      // Lines printed before the kill landed are acknowledgements too.
      for (const line of child.lines.slice(1 + acked.length)) if (line.startsWith('ack ')) acked.push(line.slice(4));

      const backend = await open();
      try {
        const rows = await backend.db.selectFrom('messages').select(['id', 'seq']).where('session_id', '=', sessionId).orderBy('seq').execute();
        const stored = new Set(rows.map((r) => r.id));
        expect(acked.filter((id) => !stored.has(id))).toEqual([]);
        // Numbered 1..n without gaps, and the session's counter agrees: every append committed whole or not at all.
        expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
        const session = await backend.db.selectFrom('sessions').select('last_seq').where('id', '=', sessionId).executeTakeFirstOrThrow();
        expect(Number(session.last_seq)).toBe(rows.length);
        const { sessions } = createSqlStores(backend, { now: () => Date.now() });
        expect((await sessions.history(sessionId, 10)).at(-1)!.id).toBe(rows.at(-1)!.id);
      } finally {
        await backend.close();
      }
    },
    TIMEOUT_MS,
  );
});

const refusingTrigger = {
  sqlite: ["CREATE TRIGGER refuse_boom BEFORE INSERT ON messages WHEN NEW.content = 'boom' BEGIN SELECT RAISE(ABORT, 'boom refused'); END"],
  postgres: [
    "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.content = 'boom' THEN RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
    'CREATE TRIGGER refuse_boom BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_boom()',
  ],
};

describe.each(cases.filter((c) => !c.name.includes('normal')))('transactions on $name', ({ skip, prepare }) => {
  it.skipIf(skip)('rolls an append back whole when the database refuses the message row, so the session is as it was', async () => {
    const { open } = await prepare();
    const backend = await open();
    try {
      const { sql } = await import('kysely');
      for (const statement of refusingTrigger[backend.dialect]) await sql.raw(statement).execute(backend.db);
      const { sessions } = createSqlStores(backend, { now: () => Date.now() });
      const session = await sessions.create({ agentId: 'a', channel: 'c', key: 'a:c:tx' });
      await sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'first' });
      const before = await sessions.get(session.id);
      await expect(sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'boom' })).rejects.toThrow(/boom refused/);
      expect(await sessions.get(session.id)).toEqual(before);
      await sessions.appendMessage({ sessionId: session.id, role: 'user', content: 'second' });
      const rows = await backend.db.selectFrom('messages').select(['seq', 'content']).where('session_id', '=', session.id).orderBy('seq').execute();
      expect(rows.map((r) => [Number(r.seq), r.content])).toEqual([[1, 'first'], [2, 'second']]);
    } finally {
      await backend.close();
    }
  });
});
