import type { ChannelDelivery, PluginTurnResult, TurnService } from '@nexus/plugin-sdk';
import { isHeartbeatAck } from '@nexus/plugin-sdk/prompt';
import { describeSession, type AgentTurnPayload, type CronJob, type JobOfType } from '../config/index.js';
import { resultOfThrown, type ExecutionResult, type JobExecutor, type RunContext } from './job-executor.js';

/** What a run tells the session and the channel about itself (`metadata.cron`). */
export function cronMetadata(job: CronJob, run: RunContext): Record<string, unknown> {
  return { cron: { job_id: job.id, run_id: run.id, kind: run.kind, scheduled_at: new Date(run.scheduledAt).toISOString(), attempt: run.attempt } };
}

/** The gateway's services as the turn-based job types use them (SDK contracts `nexus.gateway.turns` and `nexus.gateway.delivery`). */
export interface TurnExecutorPorts {
  readonly turns: TurnService;
  /** Absent when no channel can deliver (then a job with deliver_to fails with a clear error). */
  readonly delivery?: ChannelDelivery;
}

/**
 * agent_turn: the job's message as a user turn in its session (its own `cron:<id>` unless it
 * names one), with the job's model, timeout and iteration limit. The reply is the run's output,
 * and is sent to `deliver_to` when set.
 */
export class AgentTurnExecutor implements JobExecutor<'agent_turn'> {
  constructor(private readonly ports: TurnExecutorPorts) {}

  async execute(job: JobOfType<'agent_turn'>, run: RunContext, signal: AbortSignal): Promise<ExecutionResult> {
    return runTurn(this.ports, job, job.payload, run, signal, cronMetadata(job, run), () => true);
  }
}

/**
 * heartbeat: the session's scheduled check-in, marked `metadata.heartbeat` so the agent adds
 * its heartbeat checklist (`session.heartbeat`). A reply that is only the ok token
 * (`HEARTBEAT_OK`, maybe with punctuation or emphasis around it) or empty means nothing needs
 * attention: it is not delivered, and the agent leaves the exchange out of the conversation
 * later turns are sent (`withoutHeartbeatAcks`; the token travels in
 * `metadata.heartbeat_ok_token`). The turn itself is not silent, since whether it finds
 * something is known only after it ran: a report stays in the conversation, so the next
 * heartbeat knows what was said.
 */
export class HeartbeatExecutor implements JobExecutor<'heartbeat'> {
  constructor(private readonly ports: TurnExecutorPorts) {}

  async execute(job: JobOfType<'heartbeat'>, run: RunContext, signal: AbortSignal): Promise<ExecutionResult> {
    const metadata = { ...cronMetadata(job, run), heartbeat: true, heartbeat_ok_token: job.payload.okToken };
    return runTurn(this.ports, job, job.payload, run, signal, metadata, (text) => !isHeartbeatAck(text, job.payload.okToken));
  }
}

/** system_event: a message added to a session without a model call. */
export class SystemEventExecutor implements JobExecutor<'system_event'> {
  constructor(private readonly turns: Pick<TurnService, 'appendSystemEvent'>) {}

  async execute(job: JobOfType<'system_event'>, run: RunContext, signal: AbortSignal): Promise<ExecutionResult> {
    try {
      const { sessionKey } = await this.turns.appendSystemEvent({ session: job.payload.session, text: job.payload.message, metadata: { ...cronMetadata(job, run), system_event: true }, signal });
      return { status: 'ok', output: `added to session ${sessionKey}` };
    } catch (error) {
      return resultOfThrown(error);
    }
  }
}

async function runTurn(
  ports: TurnExecutorPorts,
  job: CronJob,
  payload: AgentTurnPayload,
  run: RunContext,
  signal: AbortSignal,
  metadata: Record<string, unknown>,
  worthDelivering: (text: string) => boolean,
): Promise<ExecutionResult> {
  let result: PluginTurnResult;
  try {
    result = await ports.turns.run({
      session: payload.session,
      message: payload.message,
      ...(payload.model !== undefined ? { model: payload.model } : {}),
      timeoutMs: Math.min(payload.timeoutMs, job.timeoutMs),
      ...(payload.maxIterations !== undefined ? { maxIterations: payload.maxIterations } : {}),
      metadata,
      signal,
    });
  } catch (error) {
    return resultOfThrown(error);
  }
  const sessionKey = result.sessionKey || describeSession(payload.session);
  if (result.status !== 'done') {
    // The turn service classifies its failures (a provider's rate limit or outage is transient).
    const partial = result.text?.trim();
    return { status: 'error', error: `the turn ended ${result.status} (${result.code}): ${result.message}`, transient: result.transient, ...(partial ? { output: partial } : {}) };
  }
  const text = result.text.trim();
  const to = payload.deliverTo;
  if (to === undefined) return { status: 'ok', output: text };
  if (text === '' || !worthDelivering(text)) return { status: 'ok', output: text === '' ? '(empty reply, not delivered)' : `${text} (not delivered)` };
  const where = `${to.channel}${to.account !== undefined ? `/${to.account}` : ''} ${to.target}`;
  if (!ports.delivery) return { status: 'error', error: `the reply could not be delivered to ${where}: no channel delivery is available`, transient: false, output: text };
  try {
    const receipt = await ports.delivery.deliver({
      channel: to.channel,
      ...(to.account !== undefined ? { accountId: to.account } : {}),
      target: to.target,
      content: text,
      metadata,
      // The message.sending and message.sent hooks see which session and stored reply this is.
      sessionId: result.sessionId,
      ...(result.messageId !== undefined ? { messageId: result.messageId } : {}),
      signal,
    });
    if (receipt.cancelled !== undefined) return { status: 'ok', output: `${text} (not delivered: ${receipt.cancelled})` };
    return { status: 'ok', output: text };
  } catch (error) {
    // Retrying the run would repeat the turn; the reply stays in the session and in this output.
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 'error', error: `the reply was not delivered to ${where}: ${reason} (it is in session ${sessionKey})`, transient: false, output: text };
  }
}
