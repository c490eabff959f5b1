import { isAgentRecordId, type Logger, type Principal, type Session as StoredSession } from '@nexus/plugin-sdk';
import { API_CHANNEL, authorize } from '../auth/access-policy.js';
import { Empty } from '../generated/google/protobuf/empty.js';
import { Session, SessionServiceService, type ListSessionsResponse, type SessionServiceServer } from '../generated/nexus/v1/sessions.js';
import type { CallAuth } from '../grpc/call-auth.js';
import { decodePageToken, encodePageToken, pageSize } from '../grpc/page-token.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import { invalidArgument } from '../grpc/status-error.js';
import { unary } from '../grpc/unary.js';
import { orUndefined, toDate, toProtoMetadata } from './proto-values.js';
import { required } from './request-checks.js';
import type { StoreAccess } from './store-access.js';

export interface SessionServiceDeps {
  readonly stores: StoreAccess;
  /** `session.default_agent_id`, for sessions created without an agent. */
  readonly defaultAgentId: string;
  readonly auth: CallAuth;
  readonly logger: Logger;
}

/** The API channel: sessions created through gRPC without a channel belong to it. */
export { API_CHANNEL } from '../auth/access-policy.js';

/**
 * SessionService over the session store. Every session has an owner (the user that created it
 * through the API) or belongs to the system (channel sessions); `authorize` decides who reaches
 * which, and a session the caller may not reach answers exactly as one that does not exist.
 */
export function sessionService({ stores, defaultAgentId, auth, logger }: SessionServiceDeps): ServiceRegistration {
  const method = (name: string) => `/nexus.v1.SessionService/${name}`;
  /**
   * A session's turns use its agent's system prompt and model when `agentId` is a stored agent's
   * id, so only a caller that may use that agent may create one with it. Other ids are names from config.
   */
  const checkAgent = async (agentId: string, principal: Principal): Promise<void> => {
    if (!isAgentRecordId(agentId)) return;
    authorize(principal, 'agent.use', { agent: await (await stores.agents()).get(agentId) });
  };
  /** The session by id, if the caller may do `action` with it. */
  const reachable = async (id: string, principal: Principal, action: 'session.read' | 'session.update' | 'session.delete') => {
    const session = await (await stores.sessions()).get(required(id, 'id'));
    authorize(principal, action, { session });
    return session;
  };
  const implementation: SessionServiceServer = {
    createSession: unary(logger, method('CreateSession'), async (request, call) => {
      const principal = auth.principal(call.metadata);
      const agentId = orUndefined(request.agentId) ?? defaultAgentId;
      const channel = orUndefined(request.channel) ?? API_CHANNEL;
      const { ownerId, conversation } = authorize(principal, 'session.create', { channel, conversation: required(request.channelId, 'channel_id') });
      await checkAgent(agentId, principal);
      const created = await (await stores.sessions()).create({
        agentId,
        channel,
        key: `${agentId}:${channel}:${conversation}`,
        ...(request.title !== '' ? { title: request.title } : {}),
        metadata: { ...request.metadata },
        ...(ownerId !== undefined ? { ownerId } : {}),
      });
      return toProtoSession(created);
    }),

    getSession: unary(logger, method('GetSession'), async (request, call) => {
      const principal = auth.principal(call.metadata);
      if (request.id !== '' && request.key !== '') throw invalidArgument('set either id or key, not both');
      if (request.key === '') return toProtoSession(await reachable(required(request.id, 'id (or key)'), principal, 'session.read'));
      const session = await (await stores.sessions()).getByKey(request.key);
      authorize(principal, 'session.read', { session, by: 'key' });
      return toProtoSession(session);
    }),

    listSessions: unary(logger, method('ListSessions'), async (request, call): Promise<ListSessionsResponse> => {
      const { ownerId } = authorize(auth.principal(call.metadata), 'session.list', {});
      // The owner scope is part of the query, so a page token cannot carry one caller's listing to another.
      const query = `sessions\u0000${request.agentId}\u0000${request.channel}\u0000${ownerId ?? ''}`;
      const cursor = decodePageToken(query, request.pageToken);
      const filter = {
        ...(request.agentId !== '' ? { agentId: request.agentId } : {}),
        ...(request.channel !== '' ? { channel: request.channel } : {}),
        ...(ownerId !== undefined ? { ownerId } : {}),
      };
      const page = await (await stores.sessions()).list(filter, { limit: pageSize(request.pageSize), ...(cursor !== undefined ? { cursor } : {}) });
      return { sessions: page.items.map(toProtoSession), nextPageToken: encodePageToken(query, page.nextCursor), totalCount: page.total };
    }),

    updateSession: unary(logger, method('UpdateSession'), async (request, call) => {
      const principal = auth.principal(call.metadata);
      const session = await reachable(request.id, principal, 'session.update');
      const changesMetadata = Object.keys(request.metadata).length > 0 || request.removeMetadataKeys.length > 0;
      const patch: { title?: string | undefined; metadata?: Record<string, unknown>; ownerId?: string | undefined } = {};
      // An empty title clears it.
      if (request.title !== undefined) patch.title = orUndefined(request.title);
      if (changesMetadata) {
        // Merge, then write: the store replaces metadata as a whole.
        const metadata: Record<string, unknown> = { ...session.metadata, ...request.metadata };
        for (const key of request.removeMetadataKeys) delete metadata[key];
        patch.metadata = metadata;
      }
      if (request.ownerId !== undefined) {
        authorize(principal, 'session.change-owner', { session });
        // A channel's conversation keeps arriving into its session: an owner would take it out of the system's hands.
        if (session.channel !== API_CHANNEL && request.ownerId !== '') throw invalidArgument(`session ${session.id} came in from channel "${session.channel}"; only sessions of channel "${API_CHANNEL}" have owners`);
        patch.ownerId = orUndefined(request.ownerId);
      }
      return toProtoSession(Object.keys(patch).length > 0 ? await (await stores.sessions()).update(session.id, patch) : session);
    }),

    deleteSession: unary(logger, method('DeleteSession'), async (request, call) => {
      const session = await reachable(request.id, auth.principal(call.metadata), 'session.delete');
      await (await stores.sessions()).delete(session.id);
      return Empty.fromPartial({});
    }),
  };
  return { name: 'nexus.v1.SessionService', definition: SessionServiceService, implementation };
}

export function toProtoSession(session: StoredSession): Session {
  const prefix = `${session.agentId}:${session.channel}:`;
  return Session.fromPartial({
    id: session.id,
    agentId: session.agentId,
    channel: session.channel,
    channelId: session.key.startsWith(prefix) ? session.key.slice(prefix.length) : '',
    key: session.key,
    title: session.title ?? '',
    metadata: toProtoMetadata(session.metadata),
    ownerId: session.ownerId ?? '',
    createdAt: toDate(session.createdAt),
    updatedAt: toDate(session.updatedAt),
  });
}
