// Child process for the cron benchmarks: one fresh process per measurement, printing one JSON line.
//
// Usage: node cron-scheduler.mjs '<json: {engine, dir, mode, jobs, synchronous}>'
//   mode "lateness": the built scheduler on a SQLite file with the real clock and timers; `jobs`
//     one-shot jobs fall due 1 ms apart within one second; each run records its start minus its
//     scheduled time. Prints {p50, p99, max, executed, outcomes}.
//   mode "timers": the baseline: one bare setTimeout per instant, same instants, same measure.
//   mode "idle": the scheduler holding `jobs` jobs, none due, waking every second (60 times its
//     default); prints CPU time over a 5 s window after start, then RSS and heap after a GC:
//     {cpuMs, rssMB, heapMB, jobs}.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = JSON.parse(process.argv[2]);
const require = createRequire(import.meta.url);
// Unreferenced timers alone would let the process exit while it waits for due runs.
const keepAlive = setTimeout(() => undefined, 2 ** 31 - 1);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const summary = (lateness) => {
  const sorted = [...lateness].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1), executed: sorted.length };
};

/** The SqlClient port over one better-sqlite3 connection (the driver storage-sqlite picks for this Node). */
function sqliteClient(file, synchronous) {
  const Database = require(Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('busy_timeout = 5000');
  const statements = new Map();
  const prepared = (sql) => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };
  // One connection, used as the storage plugin's client uses its own (kysely holds a mutex on
  // it): a transaction has the connection to itself until it ends, and a statement outside one
  // waits for it. Without that, concurrent transactions (a pass's, an outcome flush's) would
  // interleave their statements on the one connection.
  let held = Promise.resolve();
  const exclusive = (work) => {
    const run = held.then(work, work);
    held = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  const statementsOf = (inside) => ({
    dialect: 'sqlite',
    all: (sql, params = []) => {
      const go = async () => {
        const statement = prepared(sql);
        return statement.reader ? statement.all(...params) : (statement.run(...params), []);
      };
      return inside ? go() : exclusive(go);
    },
    run: (sql, params = []) => {
      const go = async () => ({ changes: prepared(sql).run(...params).changes });
      return inside ? go() : exclusive(go);
    },
  });
  const tx = { ...statementsOf(true), transaction: (fn) => fn(tx) };
  const client = {
    ...statementsOf(false),
    transaction: (fn) =>
      exclusive(async () => {
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(tx);
          db.exec('COMMIT');
          return result;
        } catch (error) {
          db.exec('ROLLBACK');
          throw error;
        }
      }),
  };
  return { client, db };
}

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (msg, fields) => console.error(msg, fields), child: () => quiet };

async function engineOn(file) {
  const engine = await import(pathToFileURL(args.engine).href);
  const { client, db } = sqliteClient(file, args.synchronous);
  await client.transaction(async (tx) => {
    for (const statement of engine.CRON_MIGRATIONS[0].up.sqlite.split(/;[ \t]*(?:\n|$)/).map((s) => s.trim()).filter(Boolean)) await tx.run(statement);
  });
  return { engine, client, db };
}

function oneShots(engine, count, firstAt, now) {
  return Array.from({ length: count }, (_, i) => {
    const result = engine.readCronJob(`job-${i}`, { type: 'webhook', schedule: { at: new Date(firstAt + Math.floor((i * 1000) / count)).toISOString() }, webhook: { url: 'http://127.0.0.1:9/' } }, { source: 'config', now, pastAt: 'error', defaultTimezone: 'UTC' });
    if (!result.job) throw new Error(JSON.stringify(result.diagnostics));
    return result.job;
  });
}

if (args.mode === 'timers') {
  const firstAt = Date.now() + 1500;
  const lateness = [];
  await new Promise((resolve) => {
    for (let i = 0; i < args.jobs; i++) {
      const at = firstAt + Math.floor((i * 1000) / args.jobs);
      setTimeout(() => {
        lateness.push(Date.now() - at);
        if (lateness.length === args.jobs) resolve();
      }, at - Date.now());
    }
  });
  console.log(JSON.stringify(summary(lateness)));
} else if (args.mode === 'lateness') {
  const { engine, client, db } = await engineOn(join(args.dir, `lateness-${process.pid}.db`));
  const lateness = [];
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const executor = {
    async execute(_job, run) {
      lateness.push(Date.now() - run.scheduledAt);
      if (lateness.length === args.jobs) done();
      return { status: 'ok' };
    },
  };
  const now = Date.now();
  const scheduler = new engine.CronScheduler({ db: client, clock: { now: () => Date.now() }, logger: quiet, executors: { webhook: executor } });
  await scheduler.start(oneShots(engine, args.jobs, now + 1500, now));
  await finished;
  await scheduler.stop(5000);
  const outcomes = Object.fromEntries(db.prepare('SELECT status, COUNT(*) AS n FROM cron_runs GROUP BY status').all().map((r) => [r.status, r.n]));
  console.log(JSON.stringify({ ...summary(lateness), outcomes }));
} else if (args.mode === 'idle') {
  const { engine, client } = await engineOn(join(args.dir, `idle-${process.pid}.db`));
  const now = Date.now();
  const jobs = Array.from({ length: args.jobs }, (_, i) => {
    // None due in the window: yearly expressions on 1 January, and weekly intervals.
    const schedule = i % 2 === 0 ? { cron: `${i % 60} ${i % 24} 1 1 *`, timezone: 'Europe/Berlin' } : { every: '7d' };
    const result = engine.readCronJob(`job-${i}`, { type: 'webhook', schedule, webhook: { url: 'http://127.0.0.1:9/' } }, { source: 'config', now, pastAt: 'error', defaultTimezone: 'UTC' });
    if (!result.job) throw new Error(JSON.stringify(result.diagnostics));
    return result.job;
  });
  const scheduler = new engine.CronScheduler({ db: client, clock: { now: () => Date.now() }, logger: quiet, executors: {}, maxSleepMs: 1000 });
  await scheduler.start(jobs);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const before = process.cpuUsage();
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const used = process.cpuUsage(before);
  // Steady state: start-up garbage (each job's expression is compiled to check it) collected.
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 500));
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  const rssMB = rss / (1024 * 1024);
  const heapMB = heapUsed / (1024 * 1024);
  await scheduler.stop(1000);
  console.log(JSON.stringify({ rssMB, heapMB, cpuMs: (used.user + used.system) / 1000, jobs: scheduler.jobs().length }));
}
clearTimeout(keepAlive);
