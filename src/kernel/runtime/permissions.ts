import { tokenId, type ServiceRegistry, type Token } from '@nexus/plugin-sdk';
import type { Plan, PluginRecord } from '../plan/index.js';

/**
 * Least privilege for plugins: a service its provider marks `sensitive` (credentials, the user
 * store, raw SQL) resolves only for plugins that list it under `permissions`, and for its
 * providers themselves. Everything else resolves as before.
 */

/** Sensitive service id → the plugins that provide it, from every manifest in the plan. */
export function sensitiveServices(plan: Plan): ReadonlyMap<string, readonly string[]> {
  const sensitive = new Map<string, string[]>();
  for (const record of plan.records.values()) {
    for (const service of record.manifest?.contributes?.services ?? []) {
      if (service.sensitive) sensitive.set(service.name, [...(sensitive.get(service.name) ?? []), record.id]);
    }
  }
  return sensitive;
}

/** The sensitive services `record` may not resolve: neither asked for nor its own, with their providers. */
export function deniedServices(record: PluginRecord, sensitive: ReadonlyMap<string, readonly string[]>): ReadonlyMap<string, readonly string[]> {
  const asked = new Set(record.manifest?.permissions ?? []);
  const denied = new Map<string, readonly string[]>();
  for (const [id, providers] of sensitive) {
    if (!asked.has(id) && !providers.includes(record.id)) denied.set(id, providers);
  }
  return denied;
}

/** What a plugin that resolves a sensitive service without asking is told. */
export class PermissionDeniedError extends Error {
  readonly code = 'plugin.permission-denied';

  constructor(
    readonly pluginId: string,
    readonly serviceId: string,
    providers: readonly string[],
  ) {
    super(
      `plugin ${pluginId} resolved the sensitive service "${serviceId}" (provided by ${providers.join(', ')}) without permission: add "permissions": ["${serviceId}"] to its nexus.plugin.json (operators see it in \`nexus plugins info ${pluginId}\`)`,
    );
    this.name = 'PermissionDeniedError';
  }
}

/** `services`, refusing the sensitive services this plugin may not reach. */
export function permissionedServices(pluginId: string, services: ServiceRegistry, denied: ReadonlyMap<string, readonly string[]>): ServiceRegistry {
  if (denied.size === 0) return services;
  return {
    has: (token) => services.has(token),
    get<T>(token: Token<T>): Promise<T> {
      const providers = denied.get(tokenId(token));
      return providers ? Promise.reject(new PermissionDeniedError(pluginId, tokenId(token), providers)) : services.get(token);
    },
  };
}
