import { describe, expect, it } from 'vitest';
import { CRON_MIGRATIONS, CronJobStore, JobRows, RunHistory, RunTransitions, claimRuns, keyOf, recordMissed, type ClaimRequest, type SqlClient } from '../../../src/builtin-plugins/cron/store/index.js';
import { HOUR, MINUTE, T0, history } from './cron-test-kit.js';
import { dialects } from './dialects.js';
import { migrateCron } from './sql-test-clients.js';

const claim = (jobId: string, scheduledAt: number, concurrency: 'skip' | 'queue' = 'skip'): ClaimRequest => ({ jobId, scheduledAt, kind: 'schedule', concurrency, leaseMs: MINUTE, skipReason: 'busy' });
/** Each request's outcome, in request order. */
const claimAll = async (db: SqlClient, requests: ClaimRequest[], instance: string, now: number) => {
  const outcome = await claimRuns(db, requests, instance, now);
  return requests.map((r) => outcome.get(keyOf(r)));
};

for (const dialect of dialects()) {
  describe.skipIf(dialect.skip)(`cron tables on ${dialect.name}`, () => {
    it('migrate up and down cleanly', async () => {
      const { db } = await dialect.database();
      expect(CRON_MIGRATIONS.map((m) => m.id)).toEqual(['0001_cron']);
      await migrateCron(db, 'down');
      await migrateCron(db, 'up');
      expect(await new JobRows(db).version()).toBe(0);
    });

    it('let exactly one of several processes claim a run', async () => {
      const { db, connect } = await dialect.database();
      const other = connect();
      expect(await claimAll(db, [claim('a', T0), claim('b', T0)], 'one', T0)).toEqual(['running', 'running']);
      expect(await claimAll(other, [claim('a', T0), claim('b', T0)], 'two', T0)).toEqual(['lost', 'lost']);
      expect((await history(db, 'a')).map((r) => [r.status, r.claimedBy, r.attempt])).toEqual([['running', 'one', 1]]);
    });

    it('skip, or queue one run, while a job is running, and never hold two running runs of a job', async () => {
      const { db } = await dialect.database();
      await claimRuns(db, [claim('a', T0), claim('q', T0, 'queue')], 'one', T0);
      expect(await claimAll(db, [claim('a', T0 + MINUTE), claim('q', T0 + MINUTE, 'queue')], 'one', T0 + MINUTE)).toEqual(['skipped', 'queued']);
      // One waits at most: the next one is skipped.
      expect(await claimAll(db, [claim('q', T0 + 2 * MINUTE, 'queue')], 'one', T0 + 2 * MINUTE)).toEqual(['skipped']);
      expect((await history(db, 'q')).map((r) => r.status)).toEqual(['running', 'queued', 'skipped']);
      expect((await history(db, 'a'))[1]).toMatchObject({ status: 'skipped', error: 'busy', finishedAt: T0 + MINUTE });
      await expect(db.run(`UPDATE cron_runs SET status = 'running' WHERE job_id = 'q' AND status = 'queued'`)).rejects.toThrow();
    });

    it('record missed runs without touching runs another process has', async () => {
      const { db } = await dialect.database();
      await claimRuns(db, [claim('a', T0)], 'one', T0);
      expect(await recordMissed(db, [{ jobId: 'a', scheduledAt: T0, reason: 'r' }, { jobId: 'a', scheduledAt: T0 - HOUR, reason: 'down' }], 'two', T0)).toBe(1);
      expect((await history(db, 'a')).map((r) => [r.scheduledAt, r.status])).toEqual([
        [T0 - HOUR, 'missed'],
        [T0, 'running'],
      ]);
    });

    it('record an outcome only for the process that owns the run, then hand over to the queued run', async () => {
      const { db } = await dialect.database();
      const one = new RunTransitions(db, 'one');
      const two = new RunTransitions(db, 'two');
      await claimRuns(db, [claim('q', T0, 'queue')], 'one', T0);
      await claimRuns(db, [claim('q', T0 + MINUTE, 'queue')], 'two', T0 + MINUTE);
      expect(await two.finish({ jobId: 'q', scheduledAt: T0 }, 'ok', T0 + 5)).toBe(false);
      expect(await two.startQueued('q', T0 + 5, MINUTE)).toBeUndefined();
      expect(await one.finish({ jobId: 'q', scheduledAt: T0 }, 'error', T0 + 10, 'boom', 'partial output')).toBe(true);
      expect(await two.startQueued('q', T0 + 11, MINUTE)).toEqual({ jobId: 'q', scheduledAt: T0 + MINUTE, kind: 'schedule', attempt: 1, recoveries: 0 });
      expect(await one.startQueued('q', T0 + 12, MINUTE)).toBeUndefined();
      expect((await history(db, 'q')).map((r) => [r.status, r.claimedBy, r.error, r.output])).toEqual([
        ['error', 'one', 'boom', 'partial output'],
        ['running', 'two', undefined, undefined],
      ]);
    });

    it('interrupt runs whose lease ran out, and recover each one once only', async () => {
      const { db } = await dialect.database();
      const one = new RunTransitions(db, 'one');
      const two = new RunTransitions(db, 'two');
      await claimRuns(db, [claim('a', T0)], 'crashed', T0);
      expect(await one.expireLeases(T0 + MINUTE)).toEqual([]);
      expect(await one.expireLeases(T0 + MINUTE + 1)).toEqual([{ jobId: 'a', scheduledAt: T0 }]);
      expect(await two.expireLeases(T0 + MINUTE + 2)).toEqual([]);
      expect((await history(db, 'a'))[0]).toMatchObject({ status: 'interrupted', error: expect.stringContaining('its scheduler (crashed) stopped') });
      expect(await one.recoverable()).toEqual([{ jobId: 'a', scheduledAt: T0 }]);
      expect(await one.recover({ jobId: 'a', scheduledAt: T0 }, T0 + 2 * MINUTE, MINUTE)).toEqual({ jobId: 'a', scheduledAt: T0, kind: 'schedule', attempt: 2, recoveries: 1 });
      expect(await two.recover({ jobId: 'a', scheduledAt: T0 }, T0 + 2 * MINUTE, MINUTE)).toBeUndefined();
      await one.finish({ jobId: 'a', scheduledAt: T0 }, 'interrupted', T0 + 3 * MINUTE, 'again');
      expect(await one.recover({ jobId: 'a', scheduledAt: T0 }, T0 + 4 * MINUTE, MINUTE)).toBeUndefined();
      expect(await one.recoverable()).toEqual([]);
    });

    it('prune history by count and age, but never runs still going or waiting', async () => {
      const { db } = await dialect.database();
      const slots = Array.from({ length: 6 }, (_, i) => T0 + i * MINUTE);
      await recordMissed(db, slots.map((scheduledAt) => ({ jobId: 'a', scheduledAt, reason: 'x' })), 'one', T0);
      await claimRuns(db, [claim('b', T0 - 40 * 86_400_000, 'queue')], 'one', T0 - 40 * 86_400_000);
      await claimRuns(db, [claim('b', T0 - 39 * 86_400_000, 'queue')], 'one', T0 - 39 * 86_400_000);
      await recordMissed(db, [{ jobId: 'c', scheduledAt: T0 - 40 * 86_400_000, reason: 'old' }], 'one', T0 - 40 * 86_400_000);
      const removed = await new RunHistory(db).prune({ maxRunsPerJob: 4, maxAgeMs: 30 * 86_400_000 }, T0);
      expect(removed).toBe(3);
      expect((await history(db, 'a')).map((r) => r.scheduledAt)).toEqual(slots.slice(2));
      expect((await history(db, 'b')).map((r) => r.status)).toEqual(['running', 'queued']);
      expect(await history(db, 'c')).toEqual([]);
    });

    it('mirror config jobs: new ones start now, changed schedules restart their accounting, removed ones go', async () => {
      const { db } = await dialect.database();
      const rows = new JobRows(db);
      expect(await rows.syncConfig([{ id: 'a', scheduleIdentity: 's1', enabled: true }, { id: 'b', scheduleIdentity: 's1', enabled: true }], T0)).toEqual([]);
      await rows.advance(new Map([['a', { lastSlotAt: T0 + HOUR, nextRunAt: T0 + 2 * HOUR }]]));
      // A process that is behind moves nothing back.
      await rows.advance(new Map([['a', { lastSlotAt: T0 + MINUTE, nextRunAt: T0 + 2 * MINUTE }]]));
      await rows.syncConfig([{ id: 'a', scheduleIdentity: 's1', enabled: true }, { id: 'b', scheduleIdentity: 's2', enabled: true }], T0 + 2 * HOUR);
      const kept = await rows.bookkeeping();
      expect(kept.get('a')).toEqual({ id: 'a', source: 'config', scheduleIdentity: 's1', createdAt: T0, lastSlotAt: T0 + HOUR, nextRunAt: T0 + 2 * HOUR });
      expect(kept.get('b')).toEqual({ id: 'b', source: 'config', scheduleIdentity: 's2', createdAt: T0, lastSlotAt: T0 + 2 * HOUR });
      await rows.syncConfig([{ id: 'b', scheduleIdentity: 's2', enabled: true }], T0 + 3 * HOUR);
      expect([...(await rows.bookkeeping()).keys()]).toEqual(['b']);
      await rows.advance(new Map([['b', { lastSlotAt: T0 + 3 * HOUR, nextRunAt: undefined }]]));
      expect((await rows.bookkeeping()).get('b')).toEqual({ id: 'b', source: 'config', scheduleIdentity: 's2', createdAt: T0, lastSlotAt: T0 + 3 * HOUR });
    });

    it('store jobs from the CLI or the agent tool, validated, and refuse to touch config jobs', async () => {
      const { db } = await dialect.database();
      let now = T0;
      const store = new CronJobStore({ db, clock: { now: () => now }, defaultTimezone: 'Europe/Berlin', configJobIds: () => new Set(['from-config']) });
      const definition = { type: 'webhook' as const, schedule: { cron: '0 9 * * *' }, webhook: { url: 'https://example.com/', headers: { authorization: 'Bearer t0ken' } } };
      const added = await store.add('mine', definition, 'agent:main');
      expect(added).toMatchObject({ ok: true, job: { id: 'mine', source: 'store', schedule: { timezone: 'Europe/Berlin' } } });
      expect(await new JobRows(db).version()).toBe(1);
      expect(await store.add('mine', definition)).toMatchObject({ ok: false, diagnostics: [{ code: 'cron.job.id-taken' }] });
      expect(await store.add('from-config', definition)).toMatchObject({ ok: false, diagnostics: [{ code: 'cron.job.id-taken' }] });
      expect(await store.add('past', { ...definition, schedule: { at: '2025-01-01T00:00Z' } })).toMatchObject({ ok: false, diagnostics: [{ code: 'cron.schedule.at-past', source: { pointer: '/past/schedule/at' } }] });
      expect(await store.update('from-config', definition)).toMatchObject({ ok: false, diagnostics: [{ code: 'cron.job.read-only', hint: 'edit cron.jobs.from-config in the config file' }] });
      now = T0 + HOUR;
      expect(await store.setEnabled('mine', false)).toMatchObject({ ok: true, job: { enabled: false } });
      expect((await new JobRows(db).bookkeeping()).get('mine')).toMatchObject({ lastSlotAt: T0 + HOUR });
      expect((await store.list({ owner: 'agent:main' })).map((j) => [j.row.id, j.job?.enabled])).toEqual([['mine', false]]);
      expect(await store.list({ owner: 'agent:other' })).toEqual([]);
      expect(await store.remove('mine', 'agent:other')).toMatchObject({ ok: false, diagnostics: [{ code: 'cron.job.not-found' }] });
      expect(await store.remove('mine', 'agent:main')).toEqual({ ok: true });
      expect(await store.get('mine')).toBeUndefined();
      expect(await new JobRows(db).version()).toBe(3);
    });
  });
}
