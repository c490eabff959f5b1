import type { Role } from './auth.js';
import type { Attachment } from './channel.js';
import type { LlmToolCall } from './llm-provider.js';
import { createToken } from './tokens.js';

/** A page request: an opaque cursor from the previous page, and a size (1 to `STORE_LIMITS.pageSize`). */
export interface PageRequest {
  readonly limit: number;
  /** `nextCursor` of the previous page; a cursor from anywhere else is a `ValidationError`. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** How many items match in all, across pages. */
  readonly total: number;
  /** Absent on the last page. */
  readonly nextCursor?: string;
}

export interface Session {
  readonly id: string;
  readonly agentId: string;
  readonly channel: string;
  /** `agentId:channel:conversationId`; unique. */
  readonly key: string;
  readonly title?: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * The user id of the principal that created it through the API. Absent for sessions that came
   * in from channels, and for those stored before sessions had owners: they belong to the system,
   * and only admins reach them.
   */
  readonly ownerId?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewSession {
  readonly agentId: string;
  readonly channel: string;
  readonly key: string;
  readonly title?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly ownerId?: string;
}

/**
 * `system`: an operator-side record (a turn that went unanswered), never sent to the model.
 * `event`: something that happened, put into the conversation without a model call (cron's
 * `system_event`, `TurnService.appendSystemEvent`); later turns send it to the model as a marked note.
 */
export type MessageRole = 'user' | 'assistant' | 'system' | 'tool' | 'event';

export interface StoredToolResult {
  readonly callId: string;
  readonly content: string;
  readonly isError?: boolean;
}

export interface Message {
  readonly id: string;
  readonly sessionId: string;
  readonly role: MessageRole;
  readonly content: string;
  readonly attachments: readonly Attachment[];
  readonly toolCalls: readonly LlmToolCall[];
  readonly toolResults: readonly StoredToolResult[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly createdAt: number;
}

export type NewMessage = Omit<Message, 'id' | 'createdAt' | 'attachments' | 'toolCalls' | 'toolResults' | 'metadata'> &
  Partial<Pick<Message, 'attachments' | 'toolCalls' | 'toolResults' | 'metadata'>>;

export interface SessionFilter {
  readonly agentId?: string;
  readonly channel?: string;
  /** Only the sessions this user owns (never the system's, which have no owner). */
  readonly ownerId?: string;
}

/**
 * Limits every store enforces, so input that one backend would take and another reject fails the
 * same way everywhere: with a `ValidationError` naming the field, and nothing written.
 */
export const STORE_LIMITS = {
  /** A message's `content`, in UTF-8 bytes. */
  messageContentBytes: 1024 * 1024,
  /** All of a message's attachment `data` together, in bytes. */
  attachmentBytes: 16 * 1024 * 1024,
  /** A message's tool calls, tool results and metadata, each as JSON, in UTF-8 bytes. */
  jsonBytes: 1024 * 1024,
  /** A session key, in characters. */
  sessionKeyChars: 512,
  /** Names, ids, titles and other short text fields, in characters. */
  shortTextChars: 1000,
  /** The largest `PageRequest.limit` and `history` limit. */
  pageSize: 1000,
  /** The shortest API key a store accepts. */
  apiKeyMinChars: 16,
} as const;

/**
 * Sessions and their messages. Text must be well-formed Unicode without NUL characters (PostgreSQL
 * cannot store them); ids are UUIDs (a malformed one is a `ValidationError`, an unknown one a
 * `NotFoundError`). `list` returns the newest sessions first.
 */
export interface SessionStore {
  create(session: NewSession): Promise<Session>;
  get(id: string): Promise<Session>;
  getByKey(key: string): Promise<Session>;
  getOrCreate(session: NewSession): Promise<Session>;
  list(filter: SessionFilter, page: PageRequest): Promise<Page<Session>>;
  /** `ownerId: undefined` hands the session to the system (admins only); absent leaves it as it is. */
  update(id: string, patch: Partial<Pick<Session, 'title' | 'metadata' | 'ownerId'>>): Promise<Session>;
  delete(id: string): Promise<void>;
  /** Appends atomically and moves the session's `updatedAt`; resolves once the message is stored. */
  appendMessage(message: NewMessage): Promise<Message>;
  /** The last `limit` messages, oldest first, in the order their appends committed (also within one millisecond). */
  history(sessionId: string, limit: number): Promise<readonly Message[]>;
  /**
   * How many messages each of `sessionIds` (at most `STORE_LIMITS.pageSize`) holds, in one read;
   * a session without messages, or one that does not exist, counts 0. Optional, since it came after
   * SDK 1.0: without it `nexus sessions` shows counts as unknown.
   */
  countMessages?(sessionIds: readonly string[]): Promise<ReadonlyMap<string, number>>;
  /**
   * Deletes every message of the session, so its history starts over; the session itself (id,
   * key, title, metadata, owner) stays, and its `updatedAt` moves. Resolves to how many messages
   * went. A message appended afterwards follows the cleared ones in order, as if they had never
   * been; a reader in another process (a running gateway) sees the history empty from its next read.
   * Optional, since it came after SDK 1.0: without it `nexus sessions reset` says so and changes nothing.
   */
  clearHistory?(sessionId: string): Promise<number>;
}

/**
 * An agent a user created through the API (`AgentService`). A session whose `agentId` is one of
 * these runs its turns with the agent's `systemPrompt` and `model`; any other `agentId` (`main`,
 * say) is a name, and turns run with what the config says.
 */
export interface Agent {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly model?: string;
  readonly systemPrompt?: string;
  /** Set by an admin: every user may then read the agent and run sessions with it (only its owner and admins change it). */
  readonly shared: boolean;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A new agent; `shared` defaults to false. */
export type NewAgent = Omit<Agent, 'id' | 'createdAt' | 'updatedAt' | 'shared'> & { readonly shared?: boolean };

/** Agents per user; `name` is unique per user. `list` returns the oldest first. */
export interface AgentStore {
  create(agent: NewAgent): Promise<Agent>;
  get(id: string): Promise<Agent>;
  update(id: string, patch: Partial<Pick<Agent, 'name' | 'model' | 'systemPrompt' | 'shared'>>): Promise<Agent>;
  delete(id: string): Promise<void>;
  /** The user's agents, and with `includeShared` every other user's shared ones too. */
  list(userId: string, page: PageRequest, options?: { readonly includeShared?: boolean }): Promise<Page<Agent>>;
}

export interface ChannelConnection {
  readonly id: string;
  readonly userId: string;
  readonly channel: string;
  readonly accountId: string;
  readonly status: 'connected' | 'disconnected' | 'error';
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A user's channel accounts, unique by (userId, channel, accountId). `list` returns the oldest first. */
export interface ChannelConnectionStore {
  upsert(connection: Omit<ChannelConnection, 'id' | 'createdAt' | 'updatedAt'>): Promise<ChannelConnection>;
  delete(id: string): Promise<void>;
  list(userId: string, page: PageRequest): Promise<Page<ChannelConnection>>;
}

export interface User {
  readonly id: string;
  readonly email?: string;
  readonly name?: string;
  readonly createdAt: number;
}

export interface UserIdentity {
  readonly provider: string;
  readonly providerId: string;
  readonly email?: string;
  readonly name?: string;
}

export interface UserStore {
  /** Finds by (provider, providerId), then by email (case-insensitive), else creates. */
  findOrCreate(identity: UserIdentity): Promise<User>;
  get(id: string): Promise<User>;
}

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  /** What calls made with the key may do. */
  readonly role: Role;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

export interface ApiKeyStore {
  /** Stores only a hash of `key` (at least `STORE_LIMITS.apiKeyMinChars` characters); `role` defaults to `user`. */
  create(record: { readonly name: string; readonly userId: string; readonly key: string; readonly role?: Role }): Promise<ApiKeyRecord>;
  /** The record whose hash matches `key`, compared in constant time; undefined if none or revoked. */
  verify(key: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, oldest first. */
  list(): Promise<readonly ApiKeyRecord[]>;
  /** Marks the key revoked (idempotent); `NotFoundError` for an unknown id. */
  revoke(id: string): Promise<void>;
}

/** Typed store errors; match on `code`, which survives crossing package copies. */
export class StoreError extends Error {
  constructor(
    readonly code: 'not_found' | 'already_exists' | 'conflict' | 'validation' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export class NotFoundError extends StoreError {
  constructor(what: string, id: string) {
    super('not_found', `${what} "${id}" not found`);
    this.name = 'NotFoundError';
  }
}

export class AlreadyExistsError extends StoreError {
  /** `message` replaces the default wording, e.g. when the clashing value is a secret. */
  constructor(what: string, id: string, message?: string) {
    super('already_exists', message ?? `${what} "${id}" already exists`);
    this.name = 'AlreadyExistsError';
  }
}

export class ConflictError extends StoreError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

/** Input a store refuses (malformed id, oversized or ill-formed text, a bad cursor); nothing was written. */
export class ValidationError extends StoreError {
  constructor(
    /** The offending field, e.g. `message.content`. */
    readonly field: string,
    message: string,
  ) {
    super('validation', `${field}: ${message}`);
    this.name = 'ValidationError';
  }
}

/**
 * The database cannot serve the call right now: the connection was lost, the server is down or
 * refusing connections, or another process has held SQLite's write lock past
 * `database.busy_timeout`. Nothing was written; retrying later may succeed. The message is plain
 * words meant for callers; the driver's own error, with the database's text, is the `cause`.
 */
export class StoreUnavailableError extends StoreError {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super('unavailable', message);
    this.name = 'StoreUnavailableError';
    if (options?.cause !== undefined) Object.defineProperty(this, 'cause', { value: options.cause, enumerable: false, writable: true, configurable: true });
  }
}

/** Whether `error` is a store's "unavailable" (by code, so it holds across copies of the contracts). */
export function isStoreUnavailable(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'unavailable' && error.name.endsWith('Error');
}

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `agentId` has the form of a stored agent's id (a UUID) rather than of an agent name from config. */
export function isAgentRecordId(agentId: string): boolean {
  return RECORD_ID.test(agentId);
}

export const SessionStoreToken = createToken<SessionStore>('nexus.store.sessions');
export const AgentStoreToken = createToken<AgentStore>('nexus.store.agents');
export const ChannelConnectionStoreToken = createToken<ChannelConnectionStore>('nexus.store.channel-connections');
export const UserStoreToken = createToken<UserStore>('nexus.store.users');
export const ApiKeyStoreToken = createToken<ApiKeyStore>('nexus.store.api-keys');
