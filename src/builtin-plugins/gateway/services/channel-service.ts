import {
  ChannelCapabilityTokens,
  ChannelHealths,
  type ChannelConnection as StoredConnection,
  type ContributionRegistry,
  type Logger,
  type Principal,
} from '@nexus/plugin-sdk';
import {
  ChannelConnection,
  ChannelServiceService,
  ChannelStatus,
  ConnectionStatus,
  type ChannelServiceServer,
  type ListChannelsResponse,
} from '../generated/nexus/v1/channels.js';
import type { CallAuth } from '../grpc/call-auth.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import { decodePageToken, encodePageToken, MAX_PAGE_SIZE, pageSize } from '../grpc/page-token.js';
import { invalidArgument, notFound } from '../grpc/status-error.js';
import { unary } from '../grpc/unary.js';
import { orUndefined, toDate } from './proto-values.js';
import { required } from './request-checks.js';
import type { StoreAccess } from './store-access.js';

export interface ChannelServiceDeps {
  readonly stores: StoreAccess;
  readonly auth: CallAuth;
  readonly contributions: ContributionRegistry;
  readonly logger: Logger;
}

/** The account a connection names when the request names none. */
export const DEFAULT_ACCOUNT = 'default';

const STATUS: Readonly<Record<StoredConnection['status'], ConnectionStatus>> = {
  connected: ConnectionStatus.CONNECTION_STATUS_CONNECTED,
  disconnected: ConnectionStatus.CONNECTION_STATUS_DISCONNECTED,
  error: ConnectionStatus.CONNECTION_STATUS_ERROR,
};

/**
 * ChannelService: records the caller's channel connections (connect and disconnect) and reports
 * a channel's live status from its plugin's `ChannelHealths` contribution when it has one.
 */
export function channelService({ stores, auth, contributions, logger }: ChannelServiceDeps): ServiceRegistration {
  const method = (name: string) => `/nexus.v1.ChannelService/${name}`;

  /** Channels some enabled plugin provides, read from manifests. */
  const knownChannels = () => [...new Set(Object.values(ChannelCapabilityTokens).flatMap((token) => contributions.names(token)))].sort();
  const knownChannel = (channel: string) => {
    const known = knownChannels();
    if (!known.includes(channel)) {
      throw invalidArgument(`unknown channel_type "${channel}": ${known.length > 0 ? `enabled channels are ${known.join(', ')}` : 'no channel plugin is enabled'}`);
    }
    return channel;
  };

  /**
   * The channel's health capability, if its plugin binds one. A channel declares one name for all
   * its capabilities, so only the loaded plugin can tell; a plugin that failed has none either.
   */
  const channelHealth = async (channel: string) => (await contributions.getAll(ChannelHealths)).find((c) => c.name === channel)?.value;

  /** One of the caller's connections by id; the store can only list, so page through them. */
  const findOwn = async (principal: Principal, id: string): Promise<StoredConnection> => {
    const store = await stores.channelConnections();
    let cursor: string | undefined;
    do {
      const page = await store.list(principal.userId, { limit: MAX_PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) });
      const found = page.items.find((c) => c.id === id);
      if (found) return found;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    throw notFound(`channel connection "${id}" not found among your connections`);
  };

  const implementation: ChannelServiceServer = {
    connectChannel: unary(logger, method('ConnectChannel'), async (request, call) => {
      const principal = auth.principal(call.metadata);
      const channel = knownChannel(required(request.channelType, 'channel_type'));
      const connection = await (await stores.channelConnections()).upsert({
        userId: principal.userId,
        channel,
        accountId: orUndefined(request.channelId) ?? DEFAULT_ACCOUNT,
        status: 'connected',
      });
      return toProtoConnection(connection);
    }),

    disconnectChannel: unary(logger, method('DisconnectChannel'), async (request, call) => {
      const principal = auth.principal(call.metadata);
      const existing = await findOwn(principal, required(request.id, 'id'));
      const { userId, channel, accountId } = existing;
      return toProtoConnection(await (await stores.channelConnections()).upsert({ userId, channel, accountId, status: 'disconnected' }));
    }),

    getChannelStatus: unary(logger, method('GetChannelStatus'), async (request, call) => {
      if (request.id !== '' && request.channelType !== '') throw invalidArgument('set either id or channel_type, not both');
      const connection = request.id !== '' ? await findOwn(auth.principal(call.metadata), request.id) : undefined;
      const channel = connection?.channel ?? knownChannel(required(request.channelType, 'id or channel_type'));
      const recorded = connection ? STATUS[connection.status] : ConnectionStatus.CONNECTION_STATUS_UNSPECIFIED;
      const health = await channelHealth(channel);
      if (!health) {
        return ChannelStatus.fromPartial({
          channelType: channel,
          channelId: connection?.accountId ?? '',
          status: recorded,
          healthReported: false,
          connection: connection ? toProtoConnection(connection) : undefined,
        });
      }
      const live = health.status();
      const status = live.error !== undefined
        ? ConnectionStatus.CONNECTION_STATUS_ERROR
        : live.connected
          ? ConnectionStatus.CONNECTION_STATUS_CONNECTED
          : ConnectionStatus.CONNECTION_STATUS_DISCONNECTED;
      return ChannelStatus.fromPartial({
        channelType: channel,
        channelId: connection?.accountId ?? '',
        status,
        error: live.error ?? '',
        lastActivityAt: toDate(live.lastActivityAt),
        healthReported: true,
        connection: connection ? toProtoConnection(connection, live.lastActivityAt) : undefined,
      });
    }),

    listChannels: unary(logger, method('ListChannels'), async (request, call): Promise<ListChannelsResponse> => {
      const principal = auth.principal(call.metadata);
      const query = `channels\u0000${principal.userId}`;
      const cursor = decodePageToken(query, request.pageToken);
      const page = await (await stores.channelConnections()).list(principal.userId, { limit: pageSize(request.pageSize), ...(cursor !== undefined ? { cursor } : {}) });
      return { channels: page.items.map((c) => toProtoConnection(c)), nextPageToken: encodePageToken(query, page.nextCursor), totalCount: page.total };
    }),
  };
  return { name: 'nexus.v1.ChannelService', definition: ChannelServiceService, implementation };
}

/** `connected_at` is when the connection was first made; `last_activity_at` the channel's, else the last change. */
export function toProtoConnection(connection: StoredConnection, lastActivityAt?: number): ChannelConnection {
  return ChannelConnection.fromPartial({
    id: connection.id,
    userId: connection.userId,
    channelType: connection.channel,
    channelId: connection.accountId,
    status: STATUS[connection.status],
    connectedAt: toDate(connection.createdAt),
    lastActivityAt: toDate(lastActivityAt ?? connection.updatedAt),
  });
}
