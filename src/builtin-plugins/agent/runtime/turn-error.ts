import { isProviderError, type AgentEvent, type TurnErrorCode } from '@nexus/plugin-sdk';
import { isNoProviderError } from '../llm/index.js';

/** A turn ending for a reason of the runtime's own (not the provider's). */
export class TurnError extends Error {
  constructor(
    readonly code: TurnErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TurnError';
  }
}

export type TurnErrorEvent = Extract<AgentEvent, { type: 'error' }>;

/**
 * The one event that says a turn failed. Cancelling wins over whatever the cancellation caused
 * (an AbortError from the SDK, a tool cut short), so callers can tell "stopped" from "broke".
 */
export function errorEventFor(error: unknown, cancellation: Pick<AbortSignal, 'aborted' | 'reason'>, partial: boolean): TurnErrorEvent {
  if (cancellation.aborted) return { type: 'error', code: 'cancelled', message: `the turn was cancelled: ${reasonText(cancellation.reason)}`, partial };
  if (error instanceof TurnError) return { type: 'error', code: error.code, message: error.message, partial };
  if (isNoProviderError(error)) return { type: 'error', code: 'no_provider', message: error.message, partial };
  if (isProviderError(error)) return { type: 'error', code: error.reason, message: error.toString(), partial };
  return { type: 'error', code: 'internal', message: `internal error: ${error instanceof Error ? error.message : String(error)}`, partial };
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'aborted' : String(reason);
}
