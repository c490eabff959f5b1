import { isAgentRecordId, type Logger, type Principal, type Session as StoredSession } from '@nexus/plugin-sdk';
import { Empty } from '../generated/google/protobuf/empty.js';
import { Session, SessionServiceService, type ListSessionsResponse, type SessionServiceServer } from '../generated/nexus/v1/sessions.js';
import type { CallAuth } from '../grpc/call-auth.js';
import { decodePageToken, encodePageToken, pageSize } from '../grpc/page-token.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import { invalidArgument } from '../grpc/status-error.js';
import { unary } from '../grpc/unary.js';
import { assertOwner } from './ownership.js';
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
export const API_CHANNEL = 'api';

/**
 * SessionService over the session store. Sessions carry no owner, so every authenticated caller
 * sees them all, as channel sessions are shared by whoever runs the gateway.
 */
export function sessionService({ stores, defaultAgentId, auth, logger }: SessionServiceDeps): ServiceRegistration {
  const method = (name: string) => `/nexus.v1.SessionService/${name}`;
  /**
   * A session's turns use its agent's system prompt and model when `agentId` is a stored agent's
   * id, so only that agent's owner may create one with it. Other ids are names from config.
   */
  const checkAgent = async (agentId: string, principal: Principal): Promise<void> => {
    if (!isAgentRecordId(agentId)) return;
    assertOwner(await (await stores.agents()).get(agentId), principal, 'agent', agentId);
  };
  const implementation: SessionServiceServer = {
    createSession: unary(logger, method('CreateSession'), async (request, call) => {
      const conversation = required(request.channelId, 'channel_id');
      const agentId = orUndefined(request.agentId) ?? defaultAgentId;
      await checkAgent(agentId, auth.principal(call.metadata));
      const channel = orUndefined(request.channel) ?? API_CHANNEL;
      const created = await (await stores.sessions()).create({
        agentId,
        channel,
        key: `${agentId}:${channel}:${conversation}`,
        ...(request.title !== '' ? { title: request.title } : {}),
        metadata: { ...request.metadata },
      });
      return toProtoSession(created);
    }),

    getSession: unary(logger, method('GetSession'), async (request) => {
      const store = await stores.sessions();
      if (request.id !== '' && request.key !== '') throw invalidArgument('set either id or key, not both');
      if (request.key !== '') return toProtoSession(await store.getByKey(request.key));
      return toProtoSession(await store.get(required(request.id, 'id (or key)')));
    }),

    listSessions: unary(logger, method('ListSessions'), async (request): Promise<ListSessionsResponse> => {
      const query = `sessions\u0000${request.agentId}\u0000${request.channel}`;
      const cursor = decodePageToken(query, request.pageToken);
      const filter = { ...(request.agentId !== '' ? { agentId: request.agentId } : {}), ...(request.channel !== '' ? { channel: request.channel } : {}) };
      const page = await (await stores.sessions()).list(filter, { limit: pageSize(request.pageSize), ...(cursor !== undefined ? { cursor } : {}) });
      return { sessions: page.items.map(toProtoSession), nextPageToken: encodePageToken(query, page.nextCursor), totalCount: page.total };
    }),

    updateSession: unary(logger, method('UpdateSession'), async (request) => {
      const id = required(request.id, 'id');
      const store = await stores.sessions();
      const changesMetadata = Object.keys(request.metadata).length > 0 || request.removeMetadataKeys.length > 0;
      const patch: { title?: string | undefined; metadata?: Record<string, unknown> } = {};
      // An empty title clears it.
      if (request.title !== undefined) patch.title = orUndefined(request.title);
      if (changesMetadata) {
        // Read, merge, write: the store replaces metadata as a whole.
        const metadata: Record<string, unknown> = { ...(await store.get(id)).metadata, ...request.metadata };
        for (const key of request.removeMetadataKeys) delete metadata[key];
        patch.metadata = metadata;
      }
      return toProtoSession(Object.keys(patch).length > 0 ? await store.update(id, patch) : await store.get(id));
    }),

    deleteSession: unary(logger, method('DeleteSession'), async (request) => {
      await (await stores.sessions()).delete(required(request.id, 'id'));
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
    createdAt: toDate(session.createdAt),
    updatedAt: toDate(session.updatedAt),
  });
}
