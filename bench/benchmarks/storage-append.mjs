// appendMessage through the SQL store against the raw driver running the same statement, in the
// same run, on the same database. The store's side includes what a caller gets from it: input
// checks (size limits, well-formed Unicode), a UUIDv7, JSON encoding and kysely; the raw side
// makes a random UUID, serializes the metadata, and runs the prepared statement (better-sqlite3)
// or the query (pg). Both append to sessions of their own, alternately, batch by batch.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { createRequire } from 'node:module';
import { median } from '../harness/median.mjs';
import { makeWorkDir } from '../harness/work-dir.mjs';
import { benchMessage, clock, storageModules } from './storage-modules.mjs';

// The same driver build the storage-sqlite plugin picks for this Node (see sqlite-driver.ts).
const BetterSqlite3 = createRequire(import.meta.url)(Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');

const WARMUP_ROUNDS = 2;

/** Microseconds per append over `count` appends. */
async function timed(count, append) {
  const started = performance.now();
  for (let i = 0; i < count; i++) await append(i);
  return ((performance.now() - started) / count) * 1000;
}

/**
 * Each run alternates `SLICES` slices of the batch between our side and the raw one, flipping who
 * goes first, so drift in machine load (or in disk flush times) hits both alike; a run's value is
 * the mean over its slices.
 */
const SLICES = 10;

async function alternate(runs, batch, ours, raw) {
  const values = [];
  const baselines = [];
  const slice = Math.max(1, Math.floor(batch / SLICES));
  for (let round = 0; round < WARMUP_ROUNDS + runs; round++) {
    let a = 0;
    let b = 0;
    for (let i = 0; i < SLICES; i++) {
      if ((round + i) % 2 === 0) {
        a += await timed(slice, ours);
        b += await timed(slice, raw);
      } else {
        b += await timed(slice, raw);
        a += await timed(slice, ours);
      }
    }
    if (round < WARMUP_ROUNDS) continue;
    values.push(a / SLICES);
    baselines.push(b / SLICES);
  }
  return { values, baselines };
}

function rawValues(template, message, now) {
  return template.bind({ id: randomUUID(), sessionId: message.sessionId, role: message.role, content: message.content, attachments: '[]', toolCalls: '[]', toolResults: '[]', metadata: JSON.stringify(message.metadata), now }).parameters;
}

/** One benchmark per SQLite durability setting: the default (full) and normal. */
function sqliteAppend(synchronous, batch) {
  const name = synchronous === 'full' ? 'storage-append-sqlite' : 'storage-append-sqlite-normal';
  return {
    results: [
      {
        name,
        unit: 'µs',
        what: `one appendMessage on SQLite (WAL, synchronous=${synchronous}${synchronous === 'full' ? ', the default' : ''}), per append (mean of ${batch}); baseline: better-sqlite3 running the same prepared INSERT … SELECT, same file, same run. Ratio ≤ 1.43 is throughput ≥ 0.7× the raw driver`,
        target: { on: 'ratio', max: 1.43 },
      },
    ],
    async run({ runs }) {
      const { openSqlite, createSqlStores, appendTemplate, migrate } = await storageModules();
      const file = join(makeWorkDir('storage-append'), 'nexus.db');
      const backend = openSqlite({ file, busyTimeoutMs: 5_000, synchronous });
      const raw = new BetterSqlite3(file, { timeout: 5_000 });
      try {
        await migrate(backend);
        raw.pragma('journal_mode = WAL');
        raw.pragma(`synchronous = ${synchronous}`);
        raw.pragma('foreign_keys = ON');
        const { sessions } = createSqlStores(backend, clock);
        const ourSession = await sessions.create({ agentId: 'bench', channel: 'bench', key: 'bench:bench:ours' });
        const rawSession = await sessions.create({ agentId: 'bench', channel: 'bench', key: 'bench:bench:raw' });
        const template = appendTemplate(backend);
        const insert = raw.prepare(template.sql);
        const samples = await alternate(
          runs,
          batch,
          (i) => sessions.appendMessage(benchMessage(ourSession.id, i)),
          async (i) => {
            if (insert.run(rawValues(template, benchMessage(rawSession.id, i), Date.now())).changes !== 1) throw new Error('storage-append: the raw append inserted nothing');
          },
        );
        return { [name]: samples, notes: [`SQLite synchronous=${synchronous}: store ${median(samples.values).toFixed(1)} µs, raw ${median(samples.baselines).toFixed(1)} µs per append`] };
      } finally {
        raw.close();
        await backend.close();
      }
    },
  };
}

const POSTGRES_URL = process.env.NEXUS_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const postgresAppend = {
  results: [
    {
      name: 'storage-append-postgres',
      unit: 'µs',
      what: 'one appendMessage on PostgreSQL (one statement: UPDATE in a CTE, then INSERT), per append (mean of 300); baseline: a pg pool running the same statement, same database, same run. Ratio ≤ 1.43 is throughput ≥ 0.7× the raw driver',
      target: { on: 'ratio', max: 1.43 },
    },
  ],
  async run({ runs }) {
    const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3_000 });
    const database = `nexus_bench_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE ${database}`);
    } catch (error) {
      await admin.end().catch(() => undefined);
      return { skipped: `PostgreSQL at ${POSTGRES_URL} is unreachable (${error.message || error.code}); set NEXUS_BENCH_DATABASE_URL` };
    }
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    const { openPostgres, createSqlStores, appendTemplate, migrate } = await storageModules();
    const backend = await openPostgres({ url: url.toString(), maxConnections: 4, connMaxLifetimeMs: 300_000 });
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    try {
      await migrate(backend);
      const { sessions } = createSqlStores(backend, clock);
      const ourSession = await sessions.create({ agentId: 'bench', channel: 'bench', key: 'bench:bench:ours' });
      const rawSession = await sessions.create({ agentId: 'bench', channel: 'bench', key: 'bench:bench:raw' });
      const template = appendTemplate(backend);
      const text = template.sql;
      const samples = await alternate(
        runs,
        300,
        (i) => sessions.appendMessage(benchMessage(ourSession.id, i)),
        async (i) => {
          const result = await pool.query(text, rawValues(template, benchMessage(rawSession.id, i), new Date()));
          if (result.rowCount !== 1) throw new Error('storage-append: the raw append inserted nothing');
        },
      );
      return { 'storage-append-postgres': samples, notes: [`PostgreSQL: store ${median(samples.values).toFixed(1)} µs, raw pg ${median(samples.baselines).toFixed(1)} µs per append`] };
    } finally {
      await pool.end();
      await backend.close();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
  },
};

export default [sqliteAppend('full', 200), sqliteAppend('normal', 1000), postgresAppend];
