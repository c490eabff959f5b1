import type { AgentEvent, Attachment, Message, Session, StoredToolResult, LlmToolCall } from '@nexus/plugin-sdk';

/** A caller's signal from `MessagePipeline.openCaller()`: aborts when the caller gives up or shutdown cuts turns off. */
export type CallerSignal = AbortSignal & { readonly __caller: unique symbol };

/** One caller's turns (a gRPC stream): cancel them all, and close once the caller is gone. */
export interface CallerHandle {
  readonly signal: CallerSignal;
  cancel(reason: unknown): void;
  close(): void;
}

/** One inbound message to run through the agent. */
export interface TurnRequest {
  readonly session: Session;
  readonly channel: string;
  readonly accountId: string;
  readonly content: string;
  readonly attachments?: readonly Attachment[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  /**
   * The caller gave up (a gRPC client cancelled); the turn stops and is recorded as cancelled.
   * Only from `MessagePipeline.openCaller()`, so that it also carries the shutdown cut-off and a
   * turn can run on it alone.
   */
  readonly signal?: CallerSignal;
  /** This turn's model instead of the agent's (a plugin's turn): `provider/model`, `provider/` or a bare model. */
  readonly model?: string;
  /** At most this many model calls in this turn's tool loop, instead of `agent.max_iterations`. */
  readonly maxIterations?: number;
  /**
   * A silent turn (a plugin's memory flush or heartbeat): both its messages are stored marked
   * `silent: true`, later turns leave them out of what the model sees, and its events reach only
   * the caller's own listener, never the session's subscribers.
   */
  readonly silent?: boolean;
}

/** How a turn ended. Every outcome carries the stored inbound message. */
export type TurnOutcome =
  | { readonly status: 'done'; readonly inbound: Message; readonly reply?: Message }
  | {
      readonly status: 'error' | 'cancelled' | 'interrupted';
      readonly inbound: Message;
      /** What was produced before the end, stored and marked incomplete; absent if nothing was. */
      readonly reply?: Message;
      readonly code: string;
      readonly message: string;
    };

/** Sees a turn's events as they happen (the gRPC stream, subscribers). */
export type TurnListener = (event: TurnEvent) => void;

export type TurnEvent =
  | { readonly type: 'started'; readonly sessionId: string; readonly turnId: string; readonly inbound: Message }
  | { readonly type: 'agent'; readonly sessionId: string; readonly turnId: string; readonly event: AgentEvent }
  | { readonly type: 'finished'; readonly sessionId: string; readonly turnId: string; readonly outcome: TurnOutcome };

/** What a turn produced, gathered from its events for storage. */
export interface TurnTranscript {
  text: string;
  readonly toolCalls: LlmToolCall[];
  readonly toolResults: StoredToolResult[];
  provider?: string;
  model?: string;
  inputTokens: number;
  outputTokens: number;
  unanswered?: { readonly messageIds: readonly string[]; readonly included: boolean };
}
