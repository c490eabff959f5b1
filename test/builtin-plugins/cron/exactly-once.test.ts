import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExecutionResult, JobExecutor, RunContext } from '../../../src/builtin-plugins/cron/executors/index.js';
import { CronScheduler } from '../../../src/builtin-plugins/cron/scheduler/index.js';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { freshDatabase, postgresSkipReason } from '../storage/postgres-test-kit.js';
import { scheduleIdentity } from '../../../src/builtin-plugins/cron/config/index.js';
import { JobRows, type SqlClient } from '../../../src/builtin-plugins/cron/store/index.js';
import { startChild } from '../storage/child-process-kit.js';
import { MINUTE, ManualTime, SECOND, T0, onCleanup, tempDir } from './cron-test-kit.js';
import { dialects } from './dialects.js';
import { webhookReceiver } from './cron-plugin-kit.js';
import { RACE_RUNS, raceJobs } from './exactly-once-jobs.js';
import { migrateCron, openPostgresClient, openSqliteClient } from './sql-test-clients.js';

const RACERS = 3;
/** Each racer is a Node process compiling TypeScript through jiti: slow on a busy machine (20-80 s seen under load). */
const PROCESS_TIMEOUT_MS = 240_000;

/** Every executed run, by every racer: each of the 100 runs must appear exactly once. */
function expectEachRunOnce(executed: readonly string[][]): void {
  const all = executed.flat();
  expect(all).toHaveLength(RACE_RUNS);
  expect(new Set(all).size).toBe(RACE_RUNS);
  expect(new Set(all)).toEqual(new Set(raceJobs(T0 + MINUTE, T0).map((job) => `${job.id}@${(job.schedule as { atMs: number }).atMs}`)));
}

async function expectRowsOk(db: SqlClient): Promise<string[]> {
  const rows = await db.all<{ status: string; claimed_by: string; n: unknown }>('SELECT status, claimed_by, COUNT(*) AS n FROM cron_runs GROUP BY status, claimed_by');
  expect(rows.every((r) => r.status === 'ok')).toBe(true);
  expect(rows.reduce((sum, r) => sum + Number(r.n), 0)).toBe(RACE_RUNS);
  return rows.map((r) => r.claimed_by);
}

for (const dialect of dialects()) {
  describe.skipIf(dialect.skip)(`exactly-once runs on ${dialect.name}`, () => {
    it(`executes each of ${RACE_RUNS} due runs exactly once with ${RACERS} schedulers on separate connections`, async () => {
      const { db, connect } = await dialect.database();
      const time = new ManualTime(T0);
      const executed: string[][] = [];
      for (let i = 0; i < RACERS; i++) {
        const mine: string[] = [];
        executed.push(mine);
        const executor: JobExecutor<'webhook'> = {
          async execute(_job, run: RunContext): Promise<ExecutionResult> {
            mine.push(run.id);
            return { status: 'ok' };
          },
        };
        const scheduler = new CronScheduler({ db: i === 0 ? db : connect(), clock: time, timers: time, logger: new MemoryLogger(), executors: { webhook: executor }, instanceId: `racer-${i}` });
        time.onSettle(() => scheduler.idle());
        onCleanup(async () => {
          const stopping = scheduler.stop(0);
          await time.advance(0);
          await stopping;
        });
        await scheduler.start(raceJobs(T0 + MINUTE, T0));
      }
      // Every run is due at an instant when all three timers fire together.
      await time.advance(MINUTE + 2 * SECOND);
      expectEachRunOnce(executed);
      await expectRowsOk(db);
    });
  });
}

describe('exactly-once runs across processes', () => {
  /** Starts the racers, lets them go at once, and returns what each executed. */
  async function race(dialect: 'sqlite' | 'postgres', location: string): Promise<string[][]> {
    const children = Array.from({ length: RACERS }, (_, i) => startChild('../../cron/fixtures/race-child.ts', [dialect, location, `process-${i}`, String(T0 + MINUTE), String(T0), String(T0 + 30 * SECOND)]));
    for (const child of children) expect(await child.nextLine().catch((e: Error) => e.message)).toBe('ready');
    for (const child of children) child.process.stdin.write('go\n');
    return Promise.all(
      children.map(async (child) => {
        const line = await child.nextLine();
        const { code } = await child.exited;
        expect(code, child.stderr()).toBe(0);
        return JSON.parse(line) as string[];
      }),
    );
  }

  /** The jobs' bookkeeping rows exist from before they were due, as they would in a running deployment. */
  async function prepare(db: SqlClient): Promise<void> {
    await migrateCron(db);
    await new JobRows(db).syncConfig(raceJobs(T0 + MINUTE, T0).map((job) => ({ id: job.id, scheduleIdentity: scheduleIdentity(job), enabled: true })), T0);
  }

  it(`execute each of ${RACE_RUNS} due runs exactly once when ${RACERS} processes share one SQLite file`, async () => {
    const file = join(tempDir(), 'race.db');
    const db = openSqliteClient(file);
    onCleanup(() => db.close());
    await prepare(db);
    expectEachRunOnce(await race('sqlite', file));
    await expectRowsOk(db);
  }, PROCESS_TIMEOUT_MS);

  it.skipIf(postgresSkipReason())(`execute each of ${RACE_RUNS} due runs exactly once when ${RACERS} processes share one PostgreSQL database`, async () => {
    const url = await freshDatabase('cron_race');
    const db = openPostgresClient(url);
    onCleanup(() => db.close());
    await prepare(db);
    expectEachRunOnce(await race('postgres', url));
    await expectRowsOk(db);
  }, PROCESS_TIMEOUT_MS);
});

describe('exactly-once runs across kernels (the whole plugin, as replicas of nexus serve run it)', () => {
  /** Three kernel processes with the cron plugin race on the same 100 config jobs; the receiver counts what arrived. */
  async function raceKernels(database: Record<string, unknown>): Promise<string[]> {
    const hook = await webhookReceiver();
    const children = Array.from({ length: RACERS }, () => startChild('../../cron/fixtures/race-kernel-child.ts', [JSON.stringify(database), hook.url, String(T0 + MINUTE), String(T0 + 30 * SECOND)]));
    for (const child of children) expect(await child.nextLine().catch((e: Error) => e.message)).toBe('ready');
    for (const child of children) child.process.stdin.write('go\n');
    for (const child of children) {
      expect(await child.nextLine().catch((e: Error) => e.message), child.stderr()).toBe('done');
      expect((await child.exited).code, child.stderr()).toBe(0);
    }
    return hook.bodies;
  }

  function expectEachDeliveredOnce(bodies: readonly string[]): void {
    expect(bodies).toHaveLength(RACE_RUNS);
    expect(new Set(bodies)).toEqual(new Set(raceJobs(T0 + MINUTE, T0).map((job) => `${job.id}@${(job.schedule as { atMs: number }).atMs}`)));
  }

  it(`deliver each of ${RACE_RUNS} due webhook runs exactly once when ${RACERS} kernels share one SQLite file`, async () => {
    const file = join(tempDir(), 'nexus.db');
    const bodies = await raceKernels({ path: file });
    expectEachDeliveredOnce(bodies);
    const db = openSqliteClient(file);
    onCleanup(() => db.close());
    await expectRowsOk(db);
  }, PROCESS_TIMEOUT_MS);

  it.skipIf(postgresSkipReason())(`deliver each of ${RACE_RUNS} due webhook runs exactly once when ${RACERS} kernels share one PostgreSQL database`, async () => {
    const url = await freshDatabase('cron_kernel_race');
    const bodies = await raceKernels({ url, auto_migrate: true });
    expectEachDeliveredOnce(bodies);
    const db = openPostgresClient(url);
    onCleanup(() => db.close());
    await expectRowsOk(db);
  }, PROCESS_TIMEOUT_MS);
});
