import {
  ACCESS_ROLES,
  STORE_LIMITS,
  ValidationError,
  type Agent,
  type ChannelConnection,
  type GatewayLease,
  type NewAgent,
  type Role,
  type Message,
  type MessageRole,
  type NewMessage,
  type NewSession,
  type PageRequest,
  type Session,
  type UserIdentity,
} from '../contracts/index.js';
import { checkFrozenJson, checkJson } from './json-checks.js';
import { checkAttachments, encodeAttachments, toolCallsToStore, toolResultsToStore } from './message-codec.js';
import { decodeCursor } from './page-cursor.js';
import { checkId, checkName, checkOptionalText, checkPlainObject, checkText } from './value-checks.js';

const ROLES: readonly MessageRole[] = ['user', 'assistant', 'system', 'tool', 'event'];
const CONNECTION_STATUSES: readonly ChannelConnection['status'][] = ['connected', 'disconnected', 'error'];

/** A new message, checked, with its JSON columns serialized the way every backend stores them. */
export interface CheckedMessage {
  readonly sessionId: string;
  readonly role: MessageRole;
  readonly content: string;
  readonly attachments: string;
  readonly toolCalls: string;
  readonly toolResults: string;
  readonly metadata: string;
}

export function checkNewMessage(message: NewMessage): CheckedMessage {
  const checked = checkMessageWith(message, checkJson);
  return { ...checked, attachments: encodeAttachments(checked.attachments) };
}

/**
 * A new message, checked like `checkNewMessage`, with its JSON fields as deep-frozen values equal
 * to what reading `checkNewMessage`'s columns back gives, for a store that keeps values, not text.
 * Attachments are fresh objects, but their `data` is still the caller's bytes.
 */
export type CheckedMessageValues = Omit<Message, 'id' | 'createdAt'>;

export function checkNewMessageValues(message: NewMessage): CheckedMessageValues {
  // checkFrozenJson returns a copy of what it checked, so each field keeps the type it went in with.
  return checkMessageWith(message, checkFrozenJson) as CheckedMessageValues;
}

/** The one set of message checks, in one order, with `json` checking (and converting) the JSON fields. */
function checkMessageWith<J>(message: NewMessage, json: (field: string, value: unknown) => J) {
  if (typeof message !== 'object' || message === null) throw new ValidationError('message', 'must be an object');
  const role = message.role;
  if (!ROLES.includes(role)) throw new ValidationError('message.role', `${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`);
  return {
    sessionId: checkId('message.sessionId', message.sessionId),
    role,
    content: checkText('message.content', message.content, { maxBytes: STORE_LIMITS.messageContentBytes, allowEmpty: true }),
    attachments: checkAttachments('message.attachments', message.attachments ?? []),
    toolCalls: json('message.toolCalls', toolCallsToStore('message.toolCalls', message.toolCalls ?? [])),
    toolResults: json('message.toolResults', toolResultsToStore('message.toolResults', message.toolResults ?? [])),
    metadata: json('message.metadata', checkPlainObject('message.metadata', message.metadata)),
  };
}

export interface CheckedSession {
  readonly agentId: string;
  readonly channel: string;
  readonly key: string;
  readonly title: string | undefined;
  readonly metadata: string;
  readonly ownerId: string | undefined;
}

export function checkNewSession(session: NewSession): CheckedSession {
  if (typeof session !== 'object' || session === null) throw new ValidationError('session', 'must be an object');
  return {
    agentId: checkName('session.agentId', session.agentId),
    channel: checkName('session.channel', session.channel),
    key: checkSessionKey(session.key),
    title: checkOptionalText('session.title', session.title),
    metadata: checkJson('session.metadata', checkPlainObject('session.metadata', session.metadata)),
    ownerId: session.ownerId === undefined ? undefined : checkName('session.ownerId', session.ownerId),
  };
}

export function checkSessionKey(key: unknown): string {
  return checkText('session.key', key, { maxChars: STORE_LIMITS.sessionKeyChars });
}

export function checkSessionPatch(patch: Partial<Pick<Session, 'title' | 'metadata' | 'ownerId'>>): { readonly title?: string | null; readonly metadata?: string; readonly ownerId?: string | null } {
  const out: { title?: string | null; metadata?: string; ownerId?: string | null } = {};
  if ('title' in patch) out.title = checkOptionalText('session.title', patch.title) ?? null;
  if (patch.metadata !== undefined) out.metadata = checkJson('session.metadata', checkPlainObject('session.metadata', patch.metadata));
  if ('ownerId' in patch) out.ownerId = patch.ownerId === undefined ? null : checkName('session.ownerId', patch.ownerId);
  return out;
}

export interface CheckedPage {
  readonly limit: number;
  /** The id to continue after, from the cursor. */
  readonly after: string | undefined;
}

export function checkPage(page: PageRequest): CheckedPage {
  const limit = page?.limit;
  checkLimit('page.limit', limit);
  return { limit, after: page.cursor === undefined || page.cursor === '' ? undefined : decodeCursor(page.cursor) };
}

/** Session ids to read together: an array of at most `STORE_LIMITS.pageSize` UUIDs, lower-cased and without repeats. */
export function checkSessionIds(field: string, ids: unknown): readonly string[] {
  if (!Array.isArray(ids)) throw new ValidationError(field, 'must be an array of session ids');
  if (ids.length > STORE_LIMITS.pageSize) throw new ValidationError(field, `holds ${ids.length} ids; at most ${STORE_LIMITS.pageSize} are read at once`);
  return [...new Set(ids.map((id, i) => checkId(`${field}[${i}]`, id)))];
}

export function checkLimit(field: string, limit: unknown): asserts limit is number {
  if (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > STORE_LIMITS.pageSize) {
    throw new ValidationError(field, `${String(limit)} is not a whole number from 1 to ${STORE_LIMITS.pageSize}`);
  }
}

export type CheckedAgent = Omit<Agent, 'id' | 'createdAt' | 'updatedAt'>;

export function checkNewAgent(agent: NewAgent): CheckedAgent {
  if (typeof agent !== 'object' || agent === null) throw new ValidationError('agent', 'must be an object');
  return {
    userId: checkName('agent.userId', agent.userId),
    name: checkName('agent.name', agent.name),
    model: checkOptionalText('agent.model', agent.model),
    systemPrompt: checkOptionalSystemPrompt(agent.systemPrompt),
    shared: checkOptionalFlag('agent.shared', agent.shared) ?? false,
  };
}

export type AgentPatch = Partial<Pick<Agent, 'name' | 'model' | 'systemPrompt' | 'shared'>>;

export function checkAgentPatch(patch: AgentPatch): AgentPatch {
  const out: { name?: string; model?: string; systemPrompt?: string; shared?: boolean } = {};
  if (patch.name !== undefined) out.name = checkName('agent.name', patch.name);
  if ('model' in patch) out.model = checkOptionalText('agent.model', patch.model);
  if ('systemPrompt' in patch) out.systemPrompt = checkOptionalSystemPrompt(patch.systemPrompt);
  if (patch.shared !== undefined) out.shared = checkOptionalFlag('agent.shared', patch.shared);
  return out;
}

function checkOptionalFlag(field: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ValidationError(field, `must be true or false, not ${JSON.stringify(value)}`);
  return value;
}

function checkOptionalSystemPrompt(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : checkText('agent.systemPrompt', value, { maxBytes: STORE_LIMITS.messageContentBytes, allowEmpty: true });
}

export type CheckedConnection = Omit<ChannelConnection, 'id' | 'createdAt' | 'updatedAt'>;

export function checkConnection(connection: CheckedConnection): CheckedConnection {
  if (typeof connection !== 'object' || connection === null) throw new ValidationError('connection', 'must be an object');
  if (!CONNECTION_STATUSES.includes(connection.status)) {
    throw new ValidationError('connection.status', `${JSON.stringify(connection.status)} is not one of ${CONNECTION_STATUSES.join(', ')}`);
  }
  return {
    userId: checkName('connection.userId', connection.userId),
    channel: checkName('connection.channel', connection.channel),
    accountId: checkName('connection.accountId', connection.accountId),
    status: connection.status,
  };
}

export interface CheckedIdentity {
  readonly provider: string;
  readonly providerId: string;
  readonly email: string | undefined;
  /** The email folded for case-insensitive matching; the same fold on every backend. */
  readonly emailKey: string | undefined;
  readonly name: string | undefined;
}

export function checkIdentity(identity: UserIdentity): CheckedIdentity {
  if (typeof identity !== 'object' || identity === null) throw new ValidationError('identity', 'must be an object');
  const email = checkOptionalText('identity.email', identity.email);
  return {
    provider: checkName('identity.provider', identity.provider),
    providerId: checkName('identity.providerId', identity.providerId),
    email: email === '' ? undefined : email,
    emailKey: email ? email.trim().toLowerCase() : undefined,
    name: checkOptionalText('identity.name', identity.name),
  };
}

export function checkApiKey(record: { readonly name: string; readonly userId: string; readonly key: string; readonly role?: Role }): {
  readonly name: string;
  readonly userId: string;
  readonly key: string;
  readonly role: Role;
} {
  if (typeof record !== 'object' || record === null) throw new ValidationError('apiKey', 'must be an object');
  const key = checkText('apiKey.key', record.key, { maxChars: STORE_LIMITS.shortTextChars });
  if (key.length < STORE_LIMITS.apiKeyMinChars) {
    throw new ValidationError('apiKey.key', `is ${key.length} characters long; use at least ${STORE_LIMITS.apiKeyMinChars} random characters`);
  }
  const role = record.role ?? 'user';
  if (!ACCESS_ROLES.includes(role)) throw new ValidationError('apiKey.role', `${JSON.stringify(role)} is not one of ${ACCESS_ROLES.join(', ')}`);
  return { name: checkName('apiKey.name', record.name), userId: checkName('apiKey.userId', record.userId), key, role };
}

export function checkGatewayLease(lease: Omit<GatewayLease, 'renewedAt'>): Omit<GatewayLease, 'renewedAt'> {
  if (typeof lease !== 'object' || lease === null) throw new ValidationError('lease', 'must be an object');
  if (!Number.isSafeInteger(lease.pid) || lease.pid < 1) throw new ValidationError('lease.pid', `${String(lease.pid)} is not a process id`);
  if (!Number.isFinite(lease.startedAt)) throw new ValidationError('lease.startedAt', `${String(lease.startedAt)} is not a time`);
  return {
    id: checkId('lease.id', lease.id),
    host: checkName('lease.host', lease.host),
    pid: lease.pid,
    address: checkName('lease.address', lease.address),
    startedAt: lease.startedAt,
  };
}
