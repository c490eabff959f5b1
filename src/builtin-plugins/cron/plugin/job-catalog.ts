import type { Diagnostic } from '@nexus/plugin-sdk';
import { describeSession, type CronJob } from '../config/index.js';
import { compileSchedule, formatInZone, hostTimeZone, upcomingRuns, type ScheduleSpec } from '../schedule/index.js';
import { JobRows, RunHistory, type JobBookkeeping, type RunRecord, type SqlClient, type StoredJob } from '../store/index.js';
import type { CronPluginSettings } from './plugin-settings.js';
import type { CronRuntime } from './cron-runtime.js';

/** One job as the operator sees it, wherever it is defined. */
export interface CatalogEntry {
  readonly id: string;
  readonly source: 'config' | 'store';
  /** Undefined when its definition has an error (see diagnostics). */
  readonly job?: CronJob;
  /** A stored job's settings as written (config shape). */
  readonly definition?: unknown;
  readonly owner?: string;
  readonly diagnostics: readonly Diagnostic[];
  readonly bookkeeping?: JobBookkeeping;
  readonly lastRun?: RunRecord;
}

/** Every job: the config file's (read-only) and the database's, with their bookkeeping and last run. */
export async function loadCatalog(runtime: CronRuntime, settings: CronPluginSettings = runtime.settings(), filter: { readonly owner?: string; readonly lastRuns?: boolean } = {}): Promise<CatalogEntry[]> {
  const db = await runtime.database();
  const bookkeeping = await new JobRows(db).bookkeeping();
  const stored: StoredJob[] = await (await runtime.jobStore(settings)).list(filter.owner !== undefined ? { owner: filter.owner } : {});
  const entries: CatalogEntry[] = [];
  if (filter.owner === undefined) {
    for (const job of settings.jobs) {
      const diagnostics = settings.diagnostics.filter((d) => d.source?.pointer?.startsWith(`/cron/jobs/${job.id}`) ?? false);
      entries.push({ id: job.id, source: 'config', job, diagnostics, ...withBookkeeping(bookkeeping.get(job.id)) });
    }
  }
  for (const { row, job, diagnostics } of stored) {
    entries.push({ id: row.id, source: 'store', ...(job ? { job } : {}), definition: row.definition, ...(row.owner !== undefined ? { owner: row.owner } : {}), diagnostics, ...withBookkeeping(bookkeeping.get(row.id)) });
  }
  entries.sort((a, b) => a.id.localeCompare(b.id));
  if (filter.lastRuns === false) return entries;
  return Promise.all(entries.map(async (entry) => withLastRun(db, entry)));
}

/** The next `count` runs of a job from `now` (UTC ms); none for a disabled job. */
export function nextRuns(entry: CatalogEntry, now: number, count: number): number[] {
  if (!entry.job || !entry.job.enabled) return [];
  const schedule = compileSchedule(entry.job.schedule, entry.bookkeeping?.createdAt ?? now);
  return upcomingRuns(schedule, now, count);
}

/** The zone a job's times are read in: its own for cron, the host's otherwise. */
export function zoneOf(spec: ScheduleSpec, fallback?: string): string {
  return spec.kind === 'cron' ? spec.timezone : (fallback ?? hostTimeZone());
}

export function describeSchedule(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'cron':
      return `cron "${spec.expression}" ${spec.timezone}${spec.staggerMs > 0 ? ` (stagger ≤ ${Math.round(spec.staggerMs / 1000)}s)` : ''}`;
    case 'every':
      return `every ${formatMs(spec.intervalMs)}${spec.anchorMs !== undefined ? ` from ${new Date(spec.anchorMs).toISOString()}` : ''}`;
    case 'at':
      return `at ${new Date(spec.atMs).toISOString()}`;
  }
}

/** What the job does, in one line (never a header value: they carry secrets). */
export function describeAction(job: CronJob): string {
  switch (job.type) {
    case 'webhook':
      return `${job.payload.method} ${safeOrigin(job.payload.url)}`;
    case 'agent_turn':
    case 'heartbeat':
      return `session ${describeSession(job.payload.session)}${job.payload.deliverTo ? ` → ${job.payload.deliverTo.channel}${job.payload.deliverTo.account ? `/${job.payload.deliverTo.account}` : ''} ${job.payload.deliverTo.target}` : ''}`;
    case 'system_event':
      return `session ${describeSession(job.payload.session)}`;
  }
}

export function formatBoth(ms: number, zone: string): { readonly utc: string; readonly local: string } {
  return { utc: new Date(ms).toISOString(), local: formatInZone(ms, zone) };
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    // The query string may hold a token; the path alone says which endpoint.
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function formatMs(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function withBookkeeping(row: JobBookkeeping | undefined): { bookkeeping?: JobBookkeeping } {
  return row ? { bookkeeping: row } : {};
}

async function withLastRun(db: SqlClient, entry: CatalogEntry): Promise<CatalogEntry> {
  const [last] = await new RunHistory(db).runs(entry.id, 1);
  return last ? { ...entry, lastRun: last } : entry;
}
