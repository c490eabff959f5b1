import {
  AgentStoreToken,
  ChannelConnectionStoreToken,
  SessionStoreToken,
  type ServiceRegistry,
  type Token,
} from '@nexus/plugin-sdk';
import { unavailable } from '../grpc/status-error.js';

/**
 * The stores behind the CRUD services, looked up per call: the storage plugin may come up after
 * the gateway, or not at all, in which case calls fail with UNAVAILABLE saying why.
 */
export class StoreAccess {
  constructor(private readonly services: ServiceRegistry) {}

  sessions() {
    return this.get(SessionStoreToken, 'sessions');
  }

  agents() {
    return this.get(AgentStoreToken, 'agents');
  }

  channelConnections() {
    return this.get(ChannelConnectionStoreToken, 'channel connections');
  }

  private async get<T>(token: Token<T>, what: string): Promise<T> {
    if (!this.services.has(token)) {
      throw unavailable(`no storage plugin is enabled, so ${what} are unavailable: enable storage-sqlite (the default) or choose one with plugins.slots.storage`);
    }
    try {
      return await this.services.get(token);
    } catch (error) {
      throw unavailable(`the ${what} store is unavailable: ${(error as Error).message}`);
    }
  }
}
