import type { TurnSessionRef } from '@nexus/plugin-sdk';
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
  /** The job's isolated session (`{channel: 'cron', conversationId: <id>}`) unless the job names a session key. */
  readonly session: TurnSessionRef;
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
  readonly session: TurnSessionRef;
}

/** A session as people read it: the key, or `cron:<job id>` for a job's own session. */
export function describeSession(session: TurnSessionRef): string {
  return 'key' in session ? session.key : `${session.channel}:${session.conversationId}`;
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
