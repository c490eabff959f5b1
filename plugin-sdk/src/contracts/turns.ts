import type { Attachment, DeliveryReceipt } from './channel.js';
import { createToken } from './tokens.js';

/**
 * Which session a plugin's turn runs in: a full session key (`main:telegram:12345`), or a
 * conversation on a channel, from which the gateway makes the key `<agent>:<channel>:<id>`
 * (cron's isolated `cron:<job id>` session is `{channel: 'cron', conversationId: '<job id>'}`).
 * The session is created on first use, owned by the system unless `ownerId` is given.
 */
export type TurnSessionRef =
  | { readonly key: string }
  | { readonly channel: string; readonly conversationId: string; readonly agentId?: string };

/** One turn that a plugin (not a chat user) asks the gateway to run. */
export interface PluginTurnRequest {
  readonly session: TurnSessionRef;
  readonly message: string;
  readonly attachments?: readonly Attachment[];
  /**
   * `provider/model` (an `llm.providers` entry), `provider/` (that entry's default model) or a
   * bare model of the default provider; the session's agent's model when absent. `turn.before`
   * handlers see it and may still change it.
   */
  readonly model?: string;
  /**
   * Cuts the turn off after this long, counted from the call (time queued behind the session's
   * earlier turns included): the result is `timeout` with code `turn_timeout`, and what was
   * produced is stored marked incomplete. No limit when absent (the agent has no turn limit of its own).
   */
  readonly timeoutMs?: number;
  /** At most this many model calls in the tool loop; the agent's setting when absent. */
  readonly maxIterations?: number;
  /** Stored with the inbound message (`{cron: {...}}`, `{mcp: {...}}`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The user a session created now belongs to (the MCP caller); none means the system's. */
  readonly ownerId?: string;
  /**
   * A silent turn (a memory flush, a heartbeat that found nothing) runs its tools and returns its
   * text to the caller (`onText`, the result) like any other, and both its messages are stored,
   * with `metadata.silent: true`. But it is nobody else's: the session's other subscribers (a
   * gRPC `Stream` watching the session) see none of its events, later turns leave both its
   * messages out of the history the model is sent, and nothing of it goes to a channel. The
   * session store still holds them, marked, for operators and exports.
   */
  readonly silent?: boolean;
  /** Called with the reply text so far (the whole text, not a delta) as it streams. */
  readonly onText?: (text: string) => void;
  readonly signal?: AbortSignal;
}

/**
 * How a plugin's turn ended. The inbound message is stored whatever the outcome, except when the
 * turn never ran: a `message.receiving` handler dropped it (`cancelled`, code `message_dropped`),
 * the gateway was shutting down (`interrupted`, code `unavailable`, transient), or `signal` or
 * `timeoutMs` ended it while it waited behind the session's earlier turns. Bad requests (no
 * message, an unusable session) reject instead.
 */
export type PluginTurnResult =
  | { readonly status: 'done'; readonly sessionId: string; readonly sessionKey: string; readonly messageId?: string; readonly text: string }
  | {
      readonly status: 'error' | 'cancelled' | 'interrupted' | 'timeout';
      readonly sessionId: string;
      readonly sessionKey: string;
      /** A stable code: the runtime's `TurnErrorCode` (`rate_limit`, `server_error`, `max_iterations`, ...), `turn_timeout`, `cancelled`, `interrupted`, `message_dropped`, `unavailable`. */
      readonly code: string;
      readonly message: string;
      /**
       * Worth retrying later: the provider's failure classification says so (`rate_limit`,
       * `timeout`, `server_error`, `network`), or the model or session store was unavailable, or
       * shutdown cut the turn off. A `turn_timeout` is not (the same turn would take as long).
       */
      readonly transient: boolean;
      /** What was produced before the end, if anything. */
      readonly text?: string;
    };

/**
 * A message put into a session's history without a model call (cron's `system_event`): stored
 * with role `event`, and sent to the model in later turns as a marked note on the user's side
 * ("[System event at <time>, not a message from the user]"). No hook runs and no reply is made.
 */
export interface SystemEventRequest {
  readonly session: TurnSessionRef;
  readonly text: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
}

/**
 * Runs turns for plugins through the same pipeline as channel and API messages: one turn at a
 * time per session, in order, counted against `server.max_concurrent_turns`, drained on
 * shutdown, with every hook a chat turn has. Provided by the gateway; sensitive (it acts as the
 * agent), so a plugin lists `nexus.gateway.turns` in its `permissions` to resolve it.
 */
export interface TurnService {
  run(request: PluginTurnRequest): Promise<PluginTurnResult>;
  appendSystemEvent(request: SystemEventRequest): Promise<{ readonly sessionId: string; readonly sessionKey: string }>;
}

export const TurnServiceToken = createToken<TurnService>('nexus.gateway.turns');

/** Text for a channel target that is not a reply to an inbound message (a cron result, an alert). */
export interface DeliveryRequest {
  readonly channel: string;
  /** The channel's account (`default` when absent). */
  readonly accountId?: string;
  /** The platform's address for the chat (`-100123`, `C024BE91L`, a Discord channel id, `thread:ts`). */
  readonly target: string;
  readonly content: string;
  readonly attachments?: readonly Attachment[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The session the text came from (a cron job's), for the `message.sending`/`message.sent` hooks; none for a bare alert. */
  readonly sessionId?: string;
  /** The stored message being delivered (a turn's reply: `PluginTurnResult.messageId`), for the same hooks. */
  readonly messageId?: string;
  readonly signal?: AbortSignal;
}

/**
 * Sends to any active channel through its outbound contract, after the `message.sending` hooks
 * (which may rewrite or cancel it: then `cancelled` names the reason and nothing was sent).
 * The channel applies its own chunking, rate limits and retries. Provided by the gateway;
 * sensitive, as `nexus.gateway.delivery`.
 */
export interface ChannelDelivery {
  deliver(request: DeliveryRequest): Promise<DeliveryReceipt & { readonly cancelled?: string }>;
}

export const ChannelDeliveryToken = createToken<ChannelDelivery>('nexus.gateway.delivery');
