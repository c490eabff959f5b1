import type { Container } from 'inversify';
import { tokenId, type ServiceRegistry, type Token } from '../../contracts/index.js';
import { isRunnable, type PluginRecord } from '../plan/index.js';
import type { ActivationSource } from './activation-source.js';

/**
 * Cross-plugin services. The kernel's own services resolve from the root container; a plugin
 * service activates its provider (the slot occupant, when the provider claims a slot).
 */
export class KernelServiceRegistry implements ServiceRegistry {
  constructor(
    private readonly kernel: ActivationSource,
    private readonly root: Container,
  ) {}

  has(token: Token<unknown>): boolean {
    return this.provider(token) !== undefined || this.root.isBound(token);
  }

  async get<T>(token: Token<T>): Promise<T> {
    const provider = this.provider(token);
    if (provider) {
      const instance = await this.kernel.activate(provider.id, `onService:${tokenId(token)}`);
      return instance.container.get<T>(token);
    }
    if (this.root.isBound(token)) return this.root.get<T>(token);
    throw new Error(
      `no enabled plugin provides the service "${tokenId(token)}"; enable a plugin that lists it in contributes.services`,
    );
  }

  /** The plugin providing `token`: first in precedence among runnable providers. */
  provider(token: Token<unknown>): PluginRecord | undefined {
    const id = tokenId(token);
    for (const record of this.kernel.plan().records.values()) {
      if (isRunnable(record) && record.manifest?.contributes?.services?.some((s) => s.name === id)) return record;
    }
    return undefined;
  }
}
