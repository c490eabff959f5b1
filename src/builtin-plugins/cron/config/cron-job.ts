import type { ScheduleSpec } from '../schedule/index.js';
import type { ConcurrencyPolicy, CronJobType, MisfirePolicy, WebhookMethod } from './cron-section.js';

/** Where a job is defined: the config file (read-only at run time) or the database (CLI, agent tool). */
export type JobSource = 'config' | 'store';

export interface DeliveryTarget {
  readonly channel: string;
  readonly account?: string;
  readonly target: string;
}

export interface WebhookPayload {
  readonly url: string;
  readonly method: WebhookMethod;
  /** May hold secrets: never log them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
}

export interface AgentTurnPayload {
  readonly message: string;
  /** `cron:<id>` (the job's isolated session) unless the job names one. */
  readonly sessionKey: string;
  readonly deliverTo?: DeliveryTarget;
  readonly model?: string;
  readonly timeoutMs: number;
  readonly maxIterations?: number;
}

export interface HeartbeatPayload extends Omit<AgentTurnPayload, 'message'> {
  readonly message: string;
  readonly okToken: string;
}

export interface SystemEventPayload {
  readonly message: string;
  readonly sessionKey: string;
}

export interface PayloadByType {
  readonly webhook: WebhookPayload;
  readonly agent_turn: AgentTurnPayload;
  readonly heartbeat: HeartbeatPayload;
  readonly system_event: SystemEventPayload;
}

interface JobBase {
  readonly id: string;
  readonly enabled: boolean;
  readonly source: JobSource;
  readonly schedule: ScheduleSpec;
  readonly misfire: { readonly policy: MisfirePolicy; readonly graceMs: number };
  readonly concurrency: ConcurrencyPolicy;
  readonly retries: { readonly max: number; readonly backoffMs: number };
  /** Per attempt. */
  readonly timeoutMs: number;
}

/** A job as the engine runs it: defaults applied, durations in ms, time zone resolved. */
export type CronJob = { [T in CronJobType]: JobBase & { readonly type: T; readonly payload: PayloadByType[T] } }[CronJobType];

export type JobOfType<T extends CronJobType> = Extract<CronJob, { type: T }>;

/**
 * What decides which runs a job has: a change to it means earlier runs the old definition would
 * have had are not counted as missed. Secrets and payloads stay out, so it can be stored.
 */
export function scheduleIdentity(job: Pick<CronJob, 'schedule' | 'enabled'>): string {
  return JSON.stringify({ schedule: job.schedule, enabled: job.enabled });
}
