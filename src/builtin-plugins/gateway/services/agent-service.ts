import type { Agent as StoredAgent, Logger, Principal } from '@nexus/plugin-sdk';
import { Empty } from '../generated/google/protobuf/empty.js';
import { Agent, AgentServiceService, type AgentServiceServer, type ListAgentsResponse } from '../generated/nexus/v1/agents.js';
import type { CallAuth } from '../grpc/call-auth.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import { decodePageToken, encodePageToken, pageSize } from '../grpc/page-token.js';
import { unary } from '../grpc/unary.js';
import { assertOwner } from './ownership.js';
import { orUndefined, toDate } from './proto-values.js';
import { required } from './request-checks.js';
import type { StoreAccess } from './store-access.js';

export interface AgentServiceDeps {
  readonly stores: StoreAccess;
  readonly auth: CallAuth;
  readonly logger: Logger;
}

/** AgentService: each caller creates, sees and changes only their own agents. */
export function agentService({ stores, auth, logger }: AgentServiceDeps): ServiceRegistration {
  const method = (name: string) => `/nexus.v1.AgentService/${name}`;
  /** The agent, if the caller owns it. */
  const owned = async (id: string, principal: Principal) => {
    const agent = await (await stores.agents()).get(required(id, 'id'));
    assertOwner(agent, principal, 'agent', id);
    return agent;
  };

  const implementation: AgentServiceServer = {
    createAgent: unary(logger, method('CreateAgent'), async (request, call) => {
      const principal = auth.principal(call.metadata);
      const created = await (await stores.agents()).create({
        userId: principal.userId,
        name: required(request.name, 'name'),
        ...(request.model !== '' ? { model: request.model } : {}),
        ...(request.systemPrompt !== '' ? { systemPrompt: request.systemPrompt } : {}),
      });
      return toProtoAgent(created);
    }),

    getAgent: unary(logger, method('GetAgent'), async (request, call) => toProtoAgent(await owned(request.id, auth.principal(call.metadata)))),

    listAgents: unary(logger, method('ListAgents'), async (request, call): Promise<ListAgentsResponse> => {
      const principal = auth.principal(call.metadata);
      const query = `agents\u0000${principal.userId}`;
      const cursor = decodePageToken(query, request.pageToken);
      const page = await (await stores.agents()).list(principal.userId, { limit: pageSize(request.pageSize), ...(cursor !== undefined ? { cursor } : {}) });
      return { agents: page.items.map(toProtoAgent), nextPageToken: encodePageToken(query, page.nextCursor), totalCount: page.total };
    }),

    updateAgent: unary(logger, method('UpdateAgent'), async (request, call) => {
      const agent = await owned(request.id, auth.principal(call.metadata));
      const patch = {
        ...(request.name !== undefined ? { name: required(request.name, 'name') } : {}),
        // An empty string clears the field.
        ...(request.model !== undefined ? { model: orUndefined(request.model) } : {}),
        ...(request.systemPrompt !== undefined ? { systemPrompt: orUndefined(request.systemPrompt) } : {}),
      };
      return toProtoAgent(Object.keys(patch).length > 0 ? await (await stores.agents()).update(agent.id, patch) : agent);
    }),

    deleteAgent: unary(logger, method('DeleteAgent'), async (request, call) => {
      const agent = await owned(request.id, auth.principal(call.metadata));
      await (await stores.agents()).delete(agent.id);
      return Empty.fromPartial({});
    }),
  };
  return { name: 'nexus.v1.AgentService', definition: AgentServiceService, implementation };
}

export function toProtoAgent(agent: StoredAgent): Agent {
  return Agent.fromPartial({
    id: agent.id,
    userId: agent.userId,
    name: agent.name,
    systemPrompt: agent.systemPrompt ?? '',
    model: agent.model ?? '',
    createdAt: toDate(agent.createdAt),
    updatedAt: toDate(agent.updatedAt),
  });
}
