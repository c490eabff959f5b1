import type { DeliveryTarget } from '../config/index.js';

/** A turn submitted into a session, as the agent_turn and heartbeat jobs need it. */
export interface CronTurnRequest {
  /** `cron:<job id>` (the job's isolated session) or a named session key. */
  readonly sessionKey: string;
  readonly message: string;
  /** `provider/model` or an alias; the default model when absent. */
  readonly model?: string;
  readonly timeoutMs: number;
  readonly maxIterations?: number;
  /** `{cron: {job_id, run_id, scheduled_at, kind, attempt}}`, plus `heartbeat: true` for heartbeats. */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly signal: AbortSignal;
}

export interface CronTurnReply {
  /** The assistant's final text (empty when it said nothing). */
  readonly text: string;
  readonly sessionId?: string;
}

/**
 * The gateway's turn service, seen from cron: run one turn in a session (created on first use)
 * and return the reply. Throw CronRunError (or an error with `transient: true`) for failures
 * worth retrying, such as a provider rate limit.
 */
export interface CronTurnService {
  runTurn(request: CronTurnRequest): Promise<CronTurnReply>;
}

/** Appends a message to a session without a model call (system_event jobs). */
export interface CronSessionEvents {
  appendSystemEvent(request: { readonly sessionKey: string; readonly text: string; readonly metadata: Readonly<Record<string, unknown>>; readonly signal: AbortSignal }): Promise<void>;
}

/**
 * Sends text to a channel target. The channel retries on its own terms (rate limits, backoff);
 * a rejection here is final for the run, since retrying the run would repeat the turn.
 */
export interface CronDelivery {
  deliver(request: { readonly to: DeliveryTarget; readonly text: string; readonly metadata: Readonly<Record<string, unknown>>; readonly signal: AbortSignal }): Promise<void>;
}
