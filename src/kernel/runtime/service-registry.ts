import type { Container } from '@nexus/plugin-sdk/shared/inversify';
import { tokenId, type ServiceRegistry, type Token } from '@nexus/plugin-sdk';
import { isRunnable, recordsByName, type Plan, type PluginRecord } from '../plan/index.js';
import type { PluginInstance } from './plugin-instance.js';
import type { ActivationSource } from './activation-source.js';

/**
 * Cross-plugin services. The kernel's own services resolve from the root container; a plugin
 * service activates its provider (the slot occupant, when the provider claims a slot).
 */
export class KernelServiceRegistry implements ServiceRegistry {
  /** Service id → the plugins declaring it, in precedence order; built once per plan. */
  private declarers: { readonly plan: Plan; readonly byService: ReadonlyMap<string, readonly PluginRecord[]> } | undefined;

  constructor(
    private readonly kernel: ActivationSource,
    /** Tokens bound in the root container: the kernel's own services and any extra bindings. */
    private readonly rootTokens: ReadonlySet<symbol>,
  ) {}

  has(token: Token<unknown>): boolean {
    return this.provider(token) !== undefined || this.rootTokens.has(token);
  }

  get<T>(token: Token<T>): Promise<T> {
    const provider = this.provider(token);
    if (provider) {
      // Turns look their stores up every time; an active provider answers without the activation path.
      const active = provider.state === 'active' ? this.kernel.instance(provider.id) : undefined;
      if (active) return resolveFrom(active.container, token);
      return this.kernel.activate(provider.id, `onService:${tokenId(token)}`).then((instance) => instance.container.get<T>(token));
    }
    return this.fromRoot(token);
  }

  private async fromRoot<T>(token: Token<T>): Promise<T> {
    if (this.rootTokens.has(token)) return (await this.kernel.root()).get<T>(token);
    throw new Error(
      `no enabled plugin provides the service "${tokenId(token)}"; enable a plugin that lists it in contributes.services`,
    );
  }

  /**
   * Lets plugins inject each other's services by constructor: the root container resolves a
   * service from its provider once that provider is active (declaring it in `requires`
   * guarantees that; otherwise the error says so).
   */
  bindForInjection(root: Container, plan: Plan, active: (pluginId: string) => PluginInstance | undefined): void {
    const seen = new Set<string>();
    for (const record of plan.records.values()) {
      if (!isRunnable(record)) continue;
      for (const { name } of record.manifest?.contributes?.services ?? []) {
        if (seen.has(name) || root.isBound(Symbol.for(name))) continue;
        seen.add(name);
        root.bind(Symbol.for(name)).toDynamicValue(() => {
          const instance = active(record.id);
          if (!instance) {
            throw new Error(
              `service "${name}" is provided by plugin ${record.id}, which is not active yet; add "${record.id}" to your plugin's "requires", or resolve it with await ctx.services.get(token)`,
            );
          }
          return instance.container.get(Symbol.for(name));
        });
      }
    }
  }

  /**
   * The plugin providing `token`: first in precedence among runnable providers. Who declares
   * what is indexed once per plan; whether a declarer can run is asked on every lookup, since
   * a plugin can fail at any time.
   */
  provider(token: Token<unknown>): PluginRecord | undefined {
    return this.declarersOf(tokenId(token))?.find(isRunnable);
  }

  private declarersOf(serviceId: string): readonly PluginRecord[] | undefined {
    const plan = this.kernel.plan();
    if (this.declarers?.plan !== plan) {
      this.declarers = { plan, byService: recordsByName(plan.records.values(), (r) => (r.manifest?.contributes?.services ?? []).map((s) => s.name)) };
    }
    return this.declarers.byService.get(serviceId);
  }
}

/** `container.get` as a promise, rejecting (not throwing) when resolution fails, as the slow path does. */
function resolveFrom<T>(container: Container, token: Token<T>): Promise<T> {
  try {
    return Promise.resolve(container.get<T>(token));
  } catch (error) {
    return Promise.reject(error as Error);
  }
}
