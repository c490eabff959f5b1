import { CliUsageError, formatTable, type CliCommand, type CliCommandContext, type Clock, type Diagnostic } from '@nexus/plugin-sdk';
import type { CronJobConfig } from '../config/index.js';
import { RunHistory, type JobChange, type JobRefusal, type RunRecord } from '../store/index.js';
import type { CronRuntime } from '../plugin/cron-runtime.js';
import { describeAction, describeSchedule, formatBoth, loadCatalog, nextRuns, zoneOf } from '../plugin/job-catalog.js';
import { jobFromOptions } from './job-options.js';

/** `nexus cron …`: its arguments and options are declared in nexus.plugin.json and parsed by the host. */
export class CronCommand implements CliCommand {
  readonly name = 'cron';

  constructor(
    private readonly runtime: CronRuntime,
    private readonly clock: Clock,
  ) {}

  async run(ctx: CliCommandContext): Promise<number> {
    const id = typeof ctx.args.id === 'string' ? ctx.args.id : '';
    try {
      switch (ctx.subcommand) {
        case 'list':
          return await this.list(ctx);
        case 'add':
          return await this.change(ctx, id, 'add');
        case 'edit':
          return await this.change(ctx, id, 'edit');
        case 'rm':
          return await this.remove(ctx, id);
        case 'enable':
        case 'disable':
          return await this.toggle(ctx, id, ctx.subcommand === 'enable');
        case 'run':
          return await this.runOne(ctx, id);
        case 'runs':
          return await this.runs(ctx, id);
        case 'status':
          return await this.status(ctx);
        default:
          throw new CliUsageError('choose a subcommand: list, add, edit, rm, enable, disable, run, runs or status');
      }
    } catch (error) {
      if (error instanceof CliUsageError) throw error;
      ctx.stderr(`nexus cron ${ctx.subcommand}: ${(error as Error).message}\n`);
      return 1;
    }
  }

  private async list(ctx: CliCommandContext): Promise<number> {
    const now = this.clock.now();
    const entries = await loadCatalog(this.runtime);
    const rows = entries.map((entry) => ({
      id: entry.id,
      type: entry.job?.type ?? typeOf(entry.definition),
      source: entry.source,
      enabled: entry.job?.enabled ?? false,
      schedule: entry.job ? describeSchedule(entry.job.schedule) : '(invalid)',
      action: entry.job ? describeAction(entry.job) : firstError(entry.diagnostics),
      nextRunAt: nextRuns(entry, now, 1)[0] ?? null,
      lastRun: entry.lastRun ? { status: entry.lastRun.status, scheduledAt: entry.lastRun.scheduledAt, ...(entry.lastRun.error ? { error: entry.lastRun.error } : {}) } : null,
    }));
    if (ctx.options.json === true) {
      ctx.stdout(`${JSON.stringify(rows.map((r) => ({ ...r, nextRunAt: r.nextRunAt === null ? null : new Date(r.nextRunAt).toISOString(), lastRun: r.lastRun && { ...r.lastRun, scheduledAt: new Date(r.lastRun.scheduledAt).toISOString() } })), null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      ctx.stdout('no cron jobs: add one under cron.jobs in the config file, or with nexus cron add <id>\n');
      return 0;
    }
    const table = rows.map((r) => [
      r.id,
      r.type,
      r.source,
      r.enabled ? 'on' : 'off',
      r.schedule,
      r.nextRunAt === null ? '-' : new Date(r.nextRunAt).toISOString(),
      r.lastRun ? `${r.lastRun.status} ${new Date(r.lastRun.scheduledAt).toISOString()}` : '-',
      r.action,
    ]);
    ctx.stdout(formatTable(['ID', 'TYPE', 'SOURCE', 'ON', 'SCHEDULE', 'NEXT RUN (UTC)', 'LAST RUN', 'WHAT'], table));
    return 0;
  }

  private async change(ctx: CliCommandContext, id: string, mode: 'add' | 'edit'): Promise<number> {
    const settings = this.runtime.settings();
    if (settings.jobs.some((job) => job.id === id) && mode === 'edit') return this.readOnly(ctx, id);
    const store = await this.runtime.jobStore(settings);
    let change: JobChange;
    if (mode === 'add') {
      change = await store.add(id, jobFromOptions(ctx.options));
    } else {
      const current = await store.get(id);
      if (!current) return this.refused(ctx, { ok: false, diagnostics: [{ level: 'error', code: 'cron.job.not-found', message: `there is no job "${id}"`, hint: 'list the jobs with nexus cron list' }] });
      change = await store.update(id, jobFromOptions(ctx.options, current.row.definition as CronJobConfig));
    }
    if (!change.ok) return this.refused(ctx, change);
    const definition = (await store.get(id))?.row.definition;
    if (ctx.options.json === true) {
      ctx.stdout(`${JSON.stringify({ id, job: redactHeaders(definition) }, null, 2)}\n`);
    } else {
      this.warn(ctx, change.diagnostics);
      const next = nextRuns({ id, source: 'store', job: change.job, diagnostics: [] }, this.clock.now(), 1)[0];
      ctx.stdout(`${mode === 'add' ? 'added' : 'changed'} job ${id}: ${change.job.type}, ${describeSchedule(change.job.schedule)}, ${describeAction(change.job)}${change.job.enabled ? '' : ' (disabled)'}\n`);
      ctx.stdout(next !== undefined ? `next run: ${new Date(next).toISOString()}; a running server picks the change up within a minute (one that started with no job at all, at its next start)\n` : 'it has no further run\n');
    }
    return 0;
  }

  private async remove(ctx: CliCommandContext, id: string): Promise<number> {
    const settings = this.runtime.settings();
    if (settings.jobs.some((job) => job.id === id)) return this.readOnly(ctx, id);
    const result = await (await this.runtime.jobStore(settings)).remove(id);
    if (!result.ok) return this.refused(ctx, result);
    ctx.stdout(ctx.options.json === true ? `${JSON.stringify({ id, removed: true })}\n` : `removed job ${id}\n`);
    return 0;
  }

  private async toggle(ctx: CliCommandContext, id: string, enabled: boolean): Promise<number> {
    const settings = this.runtime.settings();
    if (settings.jobs.some((job) => job.id === id)) return this.readOnly(ctx, id);
    const change = await (await this.runtime.jobStore(settings)).setEnabled(id, enabled);
    if (!change.ok) return this.refused(ctx, change);
    ctx.stdout(ctx.options.json === true ? `${JSON.stringify({ id, enabled })}\n` : `job ${id} is ${enabled ? 'enabled' : 'disabled'}\n`);
    return 0;
  }

  private async runOne(ctx: CliCommandContext, id: string): Promise<number> {
    const entry = (await loadCatalog(this.runtime, undefined, { lastRuns: false })).find((e) => e.id === id);
    if (!entry) throw new Error(`there is no job "${id}"; list the jobs with nexus cron list`);
    if (!entry.job) throw new Error(`job "${id}" cannot run: ${firstError(entry.diagnostics)}`);
    if (ctx.options.now !== true) {
      ctx.stdout(`would run ${id} now: ${entry.job.type}, ${describeAction(entry.job)} (timeout ${Math.round(entry.job.timeoutMs / 1000)}s)\npass --now to run it\n`);
      return 0;
    }
    const result = await this.runtime.runNow(entry.job);
    if (ctx.options.json === true) {
      ctx.stdout(`${JSON.stringify({ outcome: result.outcome, ...(result.record ? recordJson(result.record) : { scheduledAt: new Date(result.scheduledAt).toISOString() }) }, null, 2)}\n`);
    } else if (result.outcome !== 'running') {
      ctx.stdout(`job ${id} did not run: ${result.outcome === 'queued' ? 'another run of it is going on; this one waits behind it (concurrency queue)' : (result.record?.error ?? 'another run of it is going on (concurrency skip)')}\n`);
    } else {
      const record = result.record;
      ctx.stdout(`run ${id}@${result.scheduledAt}: ${record?.status ?? 'unknown'}${record?.error ? ` — ${record.error}` : ''}\n`);
      if (record?.output) ctx.stdout(`${record.output}\n`);
    }
    return result.record?.status === 'ok' ? 0 : 1;
  }

  private async runs(ctx: CliCommandContext, id: string): Promise<number> {
    const limit = typeof ctx.options.limit === 'number' ? ctx.options.limit : 20;
    if (limit < 1) throw new CliUsageError('--limit must be 1 or more');
    const records = await new RunHistory(await this.runtime.database()).runs(id, limit);
    if (ctx.options.json === true) {
      ctx.stdout(`${JSON.stringify(records.map(recordJson), null, 2)}\n`);
      return 0;
    }
    if (records.length === 0) {
      const known = (await loadCatalog(this.runtime, undefined, { lastRuns: false })).some((e) => e.id === id);
      ctx.stdout(known ? `job ${id} has not run yet\n` : `there is no job "${id}" and no run of it in the history\n`);
      return known ? 0 : 1;
    }
    const rows = records.map((r) => [
      new Date(r.scheduledAt).toISOString(),
      r.kind,
      r.status,
      String(r.attempt),
      r.startedAt !== undefined ? `${r.startedAt - r.scheduledAt} ms` : '-',
      r.startedAt !== undefined && r.finishedAt !== undefined ? `${r.finishedAt - r.startedAt} ms` : '-',
      oneLine(r.error ?? r.output ?? ''),
    ]);
    ctx.stdout(formatTable(['SCHEDULED (UTC)', 'KIND', 'STATUS', 'TRY', 'LATE', 'TOOK', 'ERROR / OUTPUT'], rows));
    return 0;
  }

  private async status(ctx: CliCommandContext): Promise<number> {
    const settings = this.runtime.settings();
    const now = this.clock.now();
    const count = typeof ctx.options.count === 'number' && ctx.options.count > 0 ? ctx.options.count : 3;
    const entries = await loadCatalog(this.runtime, settings, { lastRuns: false });
    const running = await (await this.runtime.database()).all<{ job_id: string; scheduled_at: unknown; claimed_by: string | null }>(`SELECT job_id, scheduled_at, claimed_by FROM cron_runs WHERE status = 'running' ORDER BY scheduled_at`);
    const jobs = entries.map((entry) => {
      const zone = entry.job ? zoneOf(entry.job.schedule, settings.defaultTimezone) : undefined;
      return { id: entry.id, enabled: entry.job?.enabled ?? false, timezone: zone ?? null, nextRuns: zone ? nextRuns(entry, now, count).map((ms) => formatBoth(ms, zone)) : [] };
    });
    const runningRows = running.map((r) => ({ jobId: r.job_id, scheduledAt: new Date(Number(r.scheduled_at)).toISOString(), claimedBy: r.claimed_by }));
    if (ctx.options.json === true) {
      ctx.stdout(`${JSON.stringify({ enabled: settings.enabled, jobs, running: runningRows }, null, 2)}\n`);
      return 0;
    }
    ctx.stdout(settings.enabled ? 'scheduler: on for this host (cron.enabled)\n' : 'scheduler: off on this host (cron.enabled: false); other replicas run the jobs\n');
    ctx.stdout(`jobs: ${entries.length} (${entries.filter((e) => e.source === 'config').length} from the config file, ${entries.filter((e) => e.source === 'store').length} stored); running now: ${runningRows.length}\n`);
    for (const r of runningRows) ctx.stdout(`  running ${r.jobId} (scheduled ${r.scheduledAt}) on ${r.claimedBy ?? '?'}\n`);
    for (const job of jobs) {
      if (!job.enabled) {
        ctx.stdout(`${job.id}: disabled\n`);
        continue;
      }
      if (job.nextRuns.length === 0) {
        ctx.stdout(`${job.id}: no further run\n`);
        continue;
      }
      ctx.stdout(`${job.id}:\n`);
      for (const run of job.nextRuns) ctx.stdout(`  ${run.local}  (${run.utc})\n`);
    }
    return 0;
  }

  private readOnly(ctx: CliCommandContext, id: string): number {
    return this.refused(ctx, {
      ok: false,
      diagnostics: [{ level: 'error', code: 'cron.job.read-only', message: `job "${id}" comes from the config file (cron.jobs.${id}) and is read-only here`, hint: `edit cron.jobs.${id} in ${this.runtime.configPath() ?? 'the config file'}, then restart or reload the server` }],
    });
  }

  private refused(ctx: CliCommandContext, refusal: JobRefusal): number {
    for (const d of refusal.diagnostics) ctx.stderr(`nexus cron ${ctx.subcommand}: ${d.level === 'error' ? '' : `${d.level}: `}${d.message}${d.source?.pointer ? ` (at ${d.source.pointer})` : ''}${d.hint ? `; ${d.hint}` : ''}\n`);
    return 1;
  }

  private warn(ctx: CliCommandContext, diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) ctx.stderr(`${d.level}: ${d.message}${d.hint ? `; ${d.hint}` : ''}\n`);
  }
}

function recordJson(r: RunRecord): Record<string, unknown> {
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return { jobId: r.jobId, scheduledAt: iso(r.scheduledAt), kind: r.kind, status: r.status, attempt: r.attempt, startedAt: iso(r.startedAt), finishedAt: iso(r.finishedAt), error: r.error ?? null, output: r.output ?? null, claimedBy: r.claimedBy ?? null };
}

function typeOf(definition: unknown): string {
  const type = (definition as { type?: unknown } | undefined)?.type;
  return typeof type === 'string' ? type : '?';
}

function firstError(diagnostics: readonly Diagnostic[]): string {
  const first = diagnostics.find((d) => d.level === 'error') ?? diagnostics[0];
  return first ? `${first.message}${first.hint ? ` (${first.hint})` : ''}` : 'its definition cannot be read';
}

/** Header values carry tokens: shown as set, never printed. */
function redactHeaders(definition: unknown): unknown {
  const webhook = (definition as { webhook?: { headers?: Record<string, string> } } | undefined)?.webhook;
  if (!webhook?.headers) return definition;
  return { ...(definition as object), webhook: { ...webhook, headers: Object.fromEntries(Object.keys(webhook.headers).map((name) => [name, '(set)'])) } };
}

function oneLine(text: string, max = 80): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

