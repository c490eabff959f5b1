import { isRetryableReason, PROVIDER_FAILURE_REASONS, type PluginTurnResult, type ProviderFailureReason, type Session } from '@nexus/plugin-sdk';
import type { TurnOutcome } from '../pipeline/index.js';

/**
 * Whether a failed turn is worth running again later, as the providers classify their failures:
 * a rate limit, a timeout, a server error or a network failure clears up (`isRetryableReason`),
 * and so may a model that is unavailable right now or a session store that could not be read.
 * Everything else (bad credentials, billing, a request the model refuses, too many tool calls)
 * fails the same way again.
 */
export function isTransientTurnFailure(code: string): boolean {
  if (code === 'unavailable' || code === 'model_unavailable' || code === 'interrupted') return true;
  return (PROVIDER_FAILURE_REASONS as readonly string[]).includes(code) && isRetryableReason(code as ProviderFailureReason);
}

/** How the pipeline's outcome reads to the plugin that asked for the turn. */
export function pluginTurnResult(session: Session, outcome: TurnOutcome, timedOut: { readonly afterMs: number } | undefined): PluginTurnResult {
  const ids = { sessionId: session.id, sessionKey: session.key };
  if (outcome.status === 'done') return { status: 'done', ...ids, ...(outcome.reply && { messageId: outcome.reply.id }), text: outcome.reply?.content ?? '' };
  const text = outcome.reply && outcome.reply.content !== '' ? { text: outcome.reply.content } : {};
  // The turn's own time limit cancels it through the same signal a caller would.
  if (timedOut && outcome.status === 'cancelled') return timeoutResult(session, timedOut.afterMs, text);
  return { status: outcome.status, ...ids, code: outcome.code, message: outcome.message, transient: isTransientTurnFailure(outcome.code), ...text };
}

export function timeoutResult(session: Session, afterMs: number, text: { readonly text?: string } = {}): PluginTurnResult {
  return {
    status: 'timeout',
    sessionId: session.id,
    sessionKey: session.key,
    code: 'turn_timeout',
    message: `the turn was stopped after ${afterMs} ms (the timeoutMs its caller set)`,
    transient: false,
    ...text,
  };
}
