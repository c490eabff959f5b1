import { CliUsageError, type CliValues } from '@nexus/plugin-sdk';
import type { CronJobConfig, CronJobType } from '../config/index.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] };
type Draft = Mutable<Partial<CronJobConfig>> & Record<string, unknown>;

/**
 * `nexus cron add|edit` options as a job in the config file's shape: `--spec` (a whole job as
 * JSON) first, the other options on top, into `base` (the stored job for edit). The job store
 * then validates the result exactly as it validates the config file.
 */
export function jobFromOptions(options: CliValues, base?: CronJobConfig): CronJobConfig {
  const job: Draft = structuredClone((base ?? {}) as Draft);
  const text = (name: string) => (typeof options[name] === 'string' ? (options[name] as string) : undefined);
  const number = (name: string) => (typeof options[name] === 'number' ? (options[name] as number) : undefined);
  const spec = text('spec');
  if (spec !== undefined) Object.assign(job, parseJson(spec, '--spec', 'a job such as {"type": "webhook", "schedule": {"every": "1h"}, "webhook": {"url": "https://…"}}'));
  const type = (text('type') as CronJobType | undefined) ?? job.type;
  if (type === undefined) throw new CliUsageError('a new job needs --type (agent_turn, webhook, heartbeat or system_event) or a --spec that has one');
  job.type = type;

  const whens = (['cron', 'every', 'at'] as const).filter((key) => text(key) !== undefined);
  if (whens.length > 1) throw new CliUsageError(`give one of --cron, --every and --at, not ${whens.map((w) => `--${w}`).join(' and ')}`);
  const schedule: Record<string, unknown> = { ...(job.schedule ?? {}) };
  if (whens.length === 1) {
    for (const key of ['cron', 'every', 'at', 'anchor']) delete schedule[key];
    schedule[whens[0]!] = text(whens[0]!);
  }
  if (text('timezone') !== undefined) schedule.timezone = text('timezone');
  job.schedule = schedule as CronJobConfig['schedule'];
  if (Object.keys(schedule).filter((key) => key === 'cron' || key === 'every' || key === 'at').length === 0) throw new CliUsageError('a job needs a schedule: --cron EXPR, --every DURATION or --at TIME');

  const payload: Record<string, unknown> = { ...((job[type] as Record<string, unknown> | undefined) ?? {}) };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) payload[key] = value;
  };
  if (type === 'webhook') {
    set('url', text('url'));
    set('method', text('method'));
    set('body', text('body'));
    const headers = text('headers');
    if (headers !== undefined) set('headers', parseJson(headers, '--headers', '{"Authorization": "Bearer …"}'));
    set('timeout', text('timeout'));
  } else {
    set('message', text('message'));
    set('session', text('session'));
    if (type !== 'system_event') {
      set('model', text('model'));
      set('max_iterations', number('max-iterations'));
      const channel = text('deliver-channel');
      const target = text('deliver-target');
      const account = text('deliver-account');
      if (channel !== undefined || target !== undefined || account !== undefined) {
        const current = (payload.deliver_to ?? {}) as Record<string, unknown>;
        const deliverTo = { ...current, ...(channel !== undefined ? { channel } : {}), ...(target !== undefined ? { target } : {}), ...(account !== undefined ? { account } : {}) };
        if (deliverTo.channel === undefined || deliverTo.target === undefined) throw new CliUsageError('a delivery needs both --deliver-channel and --deliver-target');
        payload.deliver_to = deliverTo;
      }
    }
  }
  job[type] = payload as never;
  if (text('timeout') !== undefined && type !== 'webhook') job.timeout = text('timeout');
  if (text('misfire') !== undefined || text('grace') !== undefined) {
    job.misfire = { ...(job.misfire ?? {}), ...(text('misfire') !== undefined ? { policy: text('misfire') as never } : {}), ...(text('grace') !== undefined ? { grace: text('grace') } : {}) };
  }
  if (text('concurrency') !== undefined) job.concurrency = text('concurrency') as never;
  if (number('retries') !== undefined || text('backoff') !== undefined) {
    job.retries = { ...(job.retries ?? {}), ...(number('retries') !== undefined ? { max: number('retries') } : {}), ...(text('backoff') !== undefined ? { backoff: text('backoff') } : {}) };
  }
  if (options.disabled === true) job.enabled = false;
  return job as CronJobConfig;
}

function parseJson(text: string, option: string, example: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${option} is not valid JSON (${(error as Error).message}); write ${example}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliUsageError(`${option} must be a JSON object, such as ${example}`);
  return value as Record<string, unknown>;
}
