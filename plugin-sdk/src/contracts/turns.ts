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
  /** `provider/model` or an alias; the agent's default model when absent. */
  readonly model?: string;
  /** Cuts the turn off after this long (recorded as `timeout`); the agent's own limit when absent. */
  readonly timeoutMs?: number;
  /** At most this many model calls in the tool loop; the agent's setting when absent. */
  readonly maxIterations?: number;
  /** Stored with the inbound message (`{cron: {...}}`, `{mcp: {...}}`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** The user a session created now belongs to (the MCP caller); none means the system's. */
  readonly ownerId?: string;
  /**
   * A silent turn (a memory flush, a heartbeat that found nothing) is stored and runs its tools,
   * but no reply from it is delivered anywhere, streamed to subscribers or shown in history
   * as an answer.
   */
  readonly silent?: boolean;
  /** Called with the reply text so far (the whole text, not a delta) as it streams. */
  readonly onText?: (text: string) => void;
  readonly signal?: AbortSignal;
}

/** How a plugin's turn ended. The inbound message is stored whatever the outcome. */
export type PluginTurnResult =
  | { readonly status: 'done'; readonly sessionId: string; readonly sessionKey: string; readonly messageId?: string; readonly text: string }
  | {
      readonly status: 'error' | 'cancelled' | 'interrupted' | 'timeout';
      readonly sessionId: string;
      readonly sessionKey: string;
      /** A stable code (`provider_unavailable`, `rate_limited`, `turn_timeout`, ...). */
      readonly code: string;
      readonly message: string;
      /** Worth retrying later (a provider rate limit or outage), as providers classify it. */
      readonly transient: boolean;
      /** What was produced before the end, if anything. */
      readonly text?: string;
    };

/** A message put into a session's history without a model call (cron's `system_event`). */
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
