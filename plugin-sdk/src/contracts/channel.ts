import { createToken } from './tokens.js';

/**
 * A channel adapter is split into focused capabilities. A channel plugin contributes each one it
 * has under the channel's id; the gateway learns what a channel can do from what is bound.
 */

export interface Attachment {
  readonly name?: string;
  readonly mimeType: string;
  readonly url?: string;
  readonly data?: Uint8Array;
}

export interface InboundMessage {
  readonly channel: string;
  /** The account within the channel (a bot, a webhook endpoint). */
  readonly accountId: string;
  /** The channel's own id for this message, for de-duplication. */
  readonly externalId: string;
  readonly senderId: string;
  readonly content: string;
  readonly attachments?: readonly Attachment[];
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly receivedAt: number;
}

export interface OutboundMessage {
  readonly channel: string;
  readonly accountId: string;
  /** Where the reply goes, in the channel's terms (a chat id, a callback URL…). */
  readonly target: string;
  readonly content: string;
  readonly attachments?: readonly Attachment[];
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface DeliveryReceipt {
  readonly externalId?: string;
  readonly deliveredAt: number;
}

/** Start and stop the channel's connections. */
export interface ChannelLifecycle {
  start(signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/** Messages arriving from the channel. `onMessage` returns an unsubscribe function. */
export interface ChannelInbound {
  onMessage(handler: (message: InboundMessage) => Promise<void>): () => void;
}

/** Sending replies back out. */
export interface ChannelOutbound {
  send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt>;
}

export interface ChannelStatus {
  readonly connected: boolean;
  readonly error?: string;
  readonly lastActivityAt?: number;
  /** Per account, for channels with several (`channels.<id>.accounts.<name>`). */
  readonly accounts?: Readonly<Record<string, ChannelAccountStatus>>;
}

/**
 * One account's live state. `connected` comes from the age of the last inbound frame or
 * heartbeat (a socket that went quiet is not connected), never from a flag alone.
 */
export interface ChannelAccountStatus {
  readonly connected: boolean;
  /** `connecting`, `connected`, `reconnecting`, `stopped`, `failed`, or a platform-specific word. */
  readonly state: string;
  readonly error?: string;
  /** When the last frame or heartbeat arrived (ms since the epoch). */
  readonly lastInboundAt?: number;
  readonly received: number;
  readonly sent: number;
  readonly failed: number;
  /** Messages refused by the access policy, which never reached the runtime. */
  readonly refused: number;
}

export interface ChannelProbeResult {
  readonly healthy: boolean;
  readonly latencyMs?: number;
  readonly message: string;
}

/** Status for `channels status` and `doctor --probe`. */
export interface ChannelHealth {
  status(): ChannelStatus;
  probe(options: { readonly signal: AbortSignal }): Promise<ChannelProbeResult>;
}

/**
 * A reply being written while its turn runs: the channel shows typing until the first text,
 * then edits its message in place as the text grows (throttled within the platform's limits),
 * and `finish` settles the final text, split into more messages where it outgrows one.
 */
export interface ReplyDraft {
  /** The reply so far: the whole text, not a delta. Never throws; the channel paces the edits. */
  update(text: string): void;
  /** The final text (after the `message.sending` hooks): edits or sends what remains. */
  finish(text: string): Promise<DeliveryReceipt>;
  /** The turn failed, was cancelled, or a hook vetoed the reply: stop typing, remove the partial text. */
  abandon(reason: string): Promise<void>;
}

/** Streams replies to inbound messages (the `replies` capability); without it the gateway sends the final text once. */
export interface ChannelReplies {
  open(context: { readonly inbound: InboundMessage; readonly target: string; readonly signal: AbortSignal }): ReplyDraft;
}

/** Interactive sign-in for channels that need one (QR pairing, OAuth). */
export interface ChannelLogin {
  login(options: { readonly accountId: string; readonly signal: AbortSignal; readonly print: (line: string) => void }): Promise<void>;
  logout(accountId: string): Promise<void>;
}

/** Maps an inbound message to the conversation id that scopes its session. */
export interface ConversationResolver {
  conversationId(message: InboundMessage): string;
}

export const ChannelLifecycles = createToken<ChannelLifecycle>('nexus.contrib.channels.lifecycle');
export const ChannelInbounds = createToken<ChannelInbound>('nexus.contrib.channels.inbound');
export const ChannelOutbounds = createToken<ChannelOutbound>('nexus.contrib.channels.outbound');
export const ChannelHealths = createToken<ChannelHealth>('nexus.contrib.channels.health');
export const ChannelLogins = createToken<ChannelLogin>('nexus.contrib.channels.login');
export const ConversationResolvers = createToken<ConversationResolver>('nexus.contrib.channels.conversation');
export const ChannelReplyStreams = createToken<ChannelReplies>('nexus.contrib.channels.replies');

/** The capability tokens a channel may bind, keyed by capability name. */
export const ChannelCapabilityTokens = {
  lifecycle: ChannelLifecycles,
  inbound: ChannelInbounds,
  outbound: ChannelOutbounds,
  health: ChannelHealths,
  login: ChannelLogins,
  conversation: ConversationResolvers,
  replies: ChannelReplyStreams,
} as const;

export type ChannelCapability = keyof typeof ChannelCapabilityTokens;
