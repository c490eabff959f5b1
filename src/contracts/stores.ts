import type { Attachment } from './channel.js';
import type { LlmToolCall } from './llm-provider.js';
import { createToken } from './tokens.js';

/** A page request: an opaque cursor from the previous page, and a size. */
export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
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
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface NewSession {
  readonly agentId: string;
  readonly channel: string;
  readonly key: string;
  readonly title?: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';

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
}

export interface SessionStore {
  create(session: NewSession): Promise<Session>;
  get(id: string): Promise<Session>;
  getByKey(key: string): Promise<Session>;
  getOrCreate(session: NewSession): Promise<Session>;
  list(filter: SessionFilter, page: PageRequest): Promise<Page<Session>>;
  update(id: string, patch: Partial<Pick<Session, 'title' | 'metadata'>>): Promise<Session>;
  delete(id: string): Promise<void>;
  appendMessage(message: NewMessage): Promise<Message>;
  /** The last `limit` messages, oldest first. */
  history(sessionId: string, limit: number): Promise<readonly Message[]>;
}

export interface Agent {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly model?: string;
  readonly systemPrompt?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AgentStore {
  create(agent: Omit<Agent, 'id' | 'createdAt' | 'updatedAt'>): Promise<Agent>;
  get(id: string): Promise<Agent>;
  update(id: string, patch: Partial<Pick<Agent, 'name' | 'model' | 'systemPrompt'>>): Promise<Agent>;
  delete(id: string): Promise<void>;
  list(userId: string, page: PageRequest): Promise<Page<Agent>>;
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
  readonly createdAt: number;
  readonly revokedAt?: number;
}

export interface ApiKeyStore {
  /** Stores only a hash of `key`. */
  create(record: { readonly name: string; readonly userId: string; readonly key: string }): Promise<ApiKeyRecord>;
  /** The record whose hash matches `key`, compared in constant time; undefined if none or revoked. */
  verify(key: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<readonly ApiKeyRecord[]>;
  revoke(id: string): Promise<void>;
}

/** Typed store errors; match on `code`, which survives crossing package copies. */
export class StoreError extends Error {
  constructor(
    readonly code: 'not_found' | 'already_exists' | 'conflict',
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
  constructor(what: string, id: string) {
    super('already_exists', `${what} "${id}" already exists`);
    this.name = 'AlreadyExistsError';
  }
}

export class ConflictError extends StoreError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

export const SessionStoreToken = createToken<SessionStore>('nexus.store.sessions');
export const AgentStoreToken = createToken<AgentStore>('nexus.store.agents');
export const ChannelConnectionStoreToken = createToken<ChannelConnectionStore>('nexus.store.channel-connections');
export const UserStoreToken = createToken<UserStore>('nexus.store.users');
export const ApiKeyStoreToken = createToken<ApiKeyStore>('nexus.store.api-keys');
