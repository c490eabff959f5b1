import {
  CONTRIBUTION_KINDS,
  tokenId,
  type Contribution,
  type ContributionKind,
  type ContributionRegistry,
  type Token,
} from '../../contracts/index.js';
import type { PluginManifest } from '../manifest/index.js';
import { isRunnable, type PluginRecord } from '../plan/index.js';
import type { ActivationSource } from './activation-source.js';

const EVENT_PREFIX: Record<ContributionKind, string> = {
  tools: 'onTool',
  providers: 'onProvider',
  commands: 'onCommand',
  httpRoutes: 'onHttpRoute',
  doctorChecks: 'onDoctor',
  channels: 'onChannel',
  promptSections: 'onPromptSection',
  migrations: 'onMigrations',
};

/** Routes contribution lookups by manifest, activating only the plugin that owns a name. */
export class KernelContributionRegistry implements ContributionRegistry {
  constructor(private readonly kernel: ActivationSource) {}

  names(point: Token<unknown>): readonly string[] {
    return [...this.owners(point).keys()];
  }

  has(point: Token<unknown>, name: string): boolean {
    return this.owners(point).has(name);
  }

  async get<T>(point: Token<T>, name: string): Promise<T> {
    const kind = kindOf(point);
    const owner = this.owners(point).get(name);
    if (!owner) {
      const blocked = this.blockedOwner(kind, name);
      if (blocked) {
        const reason = blocked.diagnostics.find((d) => d.level === 'error')?.message ?? blocked.state;
        throw new Error(`plugin ${blocked.id} contributes ${kind} "${name}" but is ${blocked.state}: ${reason}`);
      }
      const known = this.names(point);
      throw new Error(
        `no enabled plugin contributes ${kind} "${name}"` + (known.length > 0 ? ` (available: ${known.join(', ')})` : '') +
          `; run \`nexus plugins list\` to see which plugins are enabled`,
      );
    }
    const instance = await this.kernel.activate(owner, `${EVENT_PREFIX[kind]}:${name}`);
    if (!instance.bound.contributions.some((c) => c.point === point && c.name === name)) {
      // Channels bind only the capabilities they have (no login, say).
      throw new Error(`plugin ${owner} contributes ${kind} "${name}" but does not bind ${tokenId(point)} for it`);
    }
    return instance.container.get<T>(point, { name });
  }

  async getAll<T>(point: Token<T>): Promise<readonly Contribution<T>[]> {
    const kind = kindOf(point);
    const settled = await Promise.allSettled(
      [...this.owners(point)].map(async ([name, pluginId]) => {
        const instance = await this.kernel.activate(pluginId, `${EVENT_PREFIX[kind]}:${name}`);
        if (!instance.bound.contributions.some((c) => c.point === point && c.name === name)) return undefined;
        return { name, pluginId, value: instance.container.get<T>(point, { name }) };
      }),
    );
    // Failed owners are already recorded as diagnostics on their plugin; the rest still serve.
    return settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : []));
  }

  /** An enabled plugin that declares `name` but cannot run, to explain why nothing provides it. */
  private blockedOwner(kind: ContributionKind, name: string): PluginRecord | undefined {
    return [...this.kernel.plan().records.values()].find((r) => r.enabled && !isRunnable(r) && r.manifest && declaredNames(r.manifest, kind).includes(name));
  }

  /** name → owning plugin id; the first plugin in discovery precedence wins a shared name. */
  private owners(point: Token<unknown>): Map<string, string> {
    const kind = kindOf(point);
    const owners = new Map<string, string>();
    for (const record of this.kernel.plan().records.values()) {
      if (!isRunnable(record) || !record.manifest) continue;
      for (const name of declaredNames(record.manifest, kind)) {
        if (!owners.has(name)) owners.set(name, record.id);
      }
    }
    return owners;
  }
}

export function declaredNames(manifest: PluginManifest, kind: ContributionKind): string[] {
  const c = manifest.contributes ?? {};
  if (kind === 'httpRoutes') return (c.httpRoutes ?? []).map((r) => r.prefix);
  return (c[kind] ?? []).map((item) => item.name);
}

function kindOf(point: Token<unknown>): ContributionKind {
  const entry = CONTRIBUTION_KINDS.find((k) => k.token === point);
  if (!entry) throw new Error(`${tokenId(point)} is not a contribution point; use ctx.services.get() for services`);
  return entry.kind;
}
