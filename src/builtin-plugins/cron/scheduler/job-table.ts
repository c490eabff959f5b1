import { scheduleIdentity, type CronJob } from '../config/index.js';
import { compileSchedule, CronCache, type Schedule } from '../schedule/index.js';
import type { JobBookkeeping } from '../store/index.js';
import { DueQueue } from './due-queue.js';
import type { DuePlan } from './misfire-plan.js';

/** A job with its compiled schedule and how far its runs are accounted for. */
export interface ScheduledJob {
  readonly job: CronJob;
  readonly schedule: Schedule;
  readonly identity: string;
  readonly createdAt: number;
  lastSlot: number;
}

/** The jobs this scheduler knows, and the due queue holding each enabled job's next run. */
export class JobTable {
  readonly queue = new DueQueue();
  private readonly crons = new CronCache();
  private readonly entries = new Map<string, ScheduledJob>();

  get size(): number {
    return this.entries.size;
  }

  get(id: string): ScheduledJob | undefined {
    return this.entries.get(id);
  }

  all(): IterableIterator<ScheduledJob> {
    return this.entries.values();
  }

  /**
   * Makes `jobs` the set of jobs. A job whose schedule and switch are unchanged keeps its place;
   * a new or changed one starts from its bookkeeping row (written when it was created or changed).
   * Returns the new and changed ones.
   */
  load(jobs: readonly CronJob[], bookkeeping: ReadonlyMap<string, JobBookkeeping>, now: number): ScheduledJob[] {
    const wanted = new Set<string>();
    const fresh: ScheduledJob[] = [];
    for (const job of jobs) {
      wanted.add(job.id);
      const identity = scheduleIdentity(job);
      const current = this.entries.get(job.id);
      const row = bookkeeping.get(job.id);
      if (current !== undefined && current.identity === identity && (row === undefined || row.createdAt === current.createdAt)) {
        this.entries.set(job.id, { ...current, job, lastSlot: Math.max(current.lastSlot, row?.lastSlotAt ?? current.lastSlot) });
        continue;
      }
      const createdAt = row?.createdAt ?? now;
      const entry: ScheduledJob = { job, schedule: compileSchedule(job.schedule, createdAt, this.crons), identity, createdAt, lastSlot: row?.lastSlotAt ?? now };
      this.entries.set(job.id, entry);
      this.reschedule(entry);
      fresh.push(entry);
    }
    for (const id of [...this.entries.keys()]) {
      if (!wanted.has(id)) {
        this.entries.delete(id);
        this.queue.delete(id);
      }
    }
    return fresh;
  }

  /** Applies a plan made from `entry`, unless the job was replaced meanwhile. */
  settle(entry: ScheduledJob, plan: DuePlan): boolean {
    if (this.entries.get(entry.job.id) !== entry) return false;
    entry.lastSlot = Math.max(entry.lastSlot, plan.accountedUntil);
    if (plan.nextAt !== undefined && entry.job.enabled) this.queue.set(entry.job.id, plan.nextAt);
    else this.queue.delete(entry.job.id);
    return true;
  }

  private reschedule(entry: ScheduledJob): void {
    const next = entry.job.enabled ? entry.schedule.next(entry.lastSlot) : undefined;
    if (next === undefined) this.queue.delete(entry.job.id);
    else this.queue.set(entry.job.id, next);
  }
}
