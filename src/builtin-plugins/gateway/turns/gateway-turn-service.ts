import type { PluginTurnRequest, PluginTurnResult, Session, SessionStore, SystemEventRequest, TurnService } from '@nexus/plugin-sdk';
import { isMessageDropped, PipelineClosedError, type MessagePipeline, type TurnListener } from '../pipeline/index.js';
import { resolveTurnSession } from './session-ref.js';
import { pluginTurnResult, timeoutResult } from './turn-result.js';

/** What the turn service needs from the running gateway; looked up per call (the gateway may be re-activated). */
export interface TurnServiceDeps {
  readonly pipeline: () => MessagePipeline;
  readonly sessions: () => Promise<SessionStore>;
  readonly defaultAgentId: () => string;
}

/** Plugin turns are stored with this account, as channel messages are with the bot's. */
const PLUGIN_ACCOUNT = 'system';

/**
 * `nexus.gateway.turns`: plugins (cron, MCP, memory) run turns through the same pipeline as
 * channel and API messages, so per-session order, `server.max_concurrent_turns`, the drain on
 * shutdown and every message hook apply to them too.
 */
export class GatewayTurnService implements TurnService {
  constructor(private readonly deps: TurnServiceDeps) {}

  async run(request: PluginTurnRequest): Promise<PluginTurnResult> {
    checkRequest(request);
    const pipeline = this.deps.pipeline();
    const session = await this.session(pipeline, request.session, request.ownerId);
    const caller = pipeline.openCaller();
    let timedOut: { readonly afterMs: number } | undefined;
    const timer =
      request.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = { afterMs: request.timeoutMs! };
            caller.cancel(new Error(`the turn took longer than its ${request.timeoutMs} ms limit`));
          }, request.timeoutMs);
    const onAbort = () => caller.cancel(request.signal?.reason ?? new Error('the caller cancelled the turn'));
    if (request.signal?.aborted) onAbort();
    else request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await pipeline.submit(
        {
          session,
          channel: session.channel,
          accountId: PLUGIN_ACCOUNT,
          content: request.message,
          ...(request.attachments && { attachments: request.attachments }),
          ...(request.metadata && { metadata: request.metadata }),
          ...(request.model !== undefined && { model: request.model }),
          ...(request.maxIterations !== undefined && { maxIterations: request.maxIterations }),
          ...(request.silent === true && { silent: true }),
          signal: caller.signal,
        },
        request.onText ? streamText(request.onText) : undefined,
      );
      return pluginTurnResult(session, outcome, timedOut);
    } catch (error) {
      return notRun(session, error, caller.signal, timedOut);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      caller.close();
    }
  }

  async appendSystemEvent(request: SystemEventRequest): Promise<{ readonly sessionId: string; readonly sessionKey: string }> {
    if (typeof request?.text !== 'string' || request.text.trim() === '') throw new TypeError('appendSystemEvent needs the event text (a non-empty string)');
    request.signal?.throwIfAborted();
    const session = await this.session(this.deps.pipeline(), request.session);
    request.signal?.throwIfAborted();
    await (await this.deps.sessions()).appendMessage({ sessionId: session.id, role: 'event', content: request.text, metadata: { ...request.metadata } });
    return { sessionId: session.id, sessionKey: session.key };
  }

  private session(pipeline: MessagePipeline, ref: PluginTurnRequest['session'], ownerId?: string): Promise<Session> {
    return resolveTurnSession({ pipeline, sessions: this.deps.sessions, defaultAgentId: this.deps.defaultAgentId() }, ref, ownerId);
  }
}

/** Hands the reply so far, whole, to the caller's `onText`; a throwing callback does not break the turn. */
function streamText(onText: (text: string) => void): TurnListener {
  let text = '';
  return (event) => {
    if (event.type !== 'agent' || event.event.type !== 'text_delta') return;
    text += event.event.text;
    try {
      onText(text);
    } catch {
      // The caller's own bug; the turn and its storage go on.
    }
  };
}

/** The pipeline refused the turn, or it was cancelled (or timed out) while it waited: what the caller is told instead of an outcome. */
function notRun(session: Session, error: unknown, cancelled: AbortSignal, timedOut: { readonly afterMs: number } | undefined): PluginTurnResult {
  const ids = { sessionId: session.id, sessionKey: session.key };
  if (isMessageDropped(error)) return { status: 'cancelled', ...ids, code: error.code, message: error.message, transient: false };
  if (error instanceof PipelineClosedError) return { status: 'interrupted', ...ids, code: error.code, message: error.message, transient: true };
  // The pipeline rejects a turn whose caller gave up while it queued with the signal's reason.
  if (cancelled.aborted && error === cancelled.reason) {
    if (timedOut) return timeoutResult(session, timedOut.afterMs);
    return { status: 'cancelled', ...ids, code: 'cancelled', message: `the turn was cancelled before it started: ${(error as Error).message ?? String(error)}`, transient: false };
  }
  throw error;
}

function checkRequest(request: PluginTurnRequest): void {
  if (typeof request?.message !== 'string') throw new TypeError('a turn needs its message (a string)');
  if (request.timeoutMs !== undefined && !(Number.isFinite(request.timeoutMs) && request.timeoutMs > 0)) throw new RangeError(`timeoutMs must be a positive number of milliseconds, not ${request.timeoutMs}`);
  if (request.maxIterations !== undefined && !(Number.isInteger(request.maxIterations) && request.maxIterations >= 1)) throw new RangeError(`maxIterations must be a whole number of at least 1, not ${request.maxIterations}`);
}
