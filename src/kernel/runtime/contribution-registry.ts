import {
  CONTRIBUTION_KINDS,
  tokenId,
  type Contribution,
  type ContributionKind,
  type ContributionRegistry,
  type Declared,
  type Token,
} from '@nexus/plugin-sdk';
import type { PluginManifest } from '../manifest/index.js';
import { isRunnable, recordsByName, type Plan, type PluginRecord } from '../plan/index.js';
import type { ActivationSource } from './activation-source.js';
import { declaredEntry, factMismatches, type DeclaredEntry } from './declared-facts.js';
import type { PluginInstance } from './plugin-instance.js';

/** One kind's declarers in a plan, and the owners last worked out from them. */
interface KindIndex {
  readonly declarers: ReadonlyMap<string, readonly PluginRecord[]>;
  /** Every plugin that declares something of the kind, once each. */
  readonly records: readonly PluginRecord[];
  /** The owners, and whether each of `records` could run when they were worked out. */
  last: { readonly runnable: readonly boolean[]; readonly owners: ReadonlyMap<string, string> } | undefined;
  /** `pluginId \0 name` → its manifest entry, made once per plan so consumers can cache by identity. */
  readonly entries: Map<string, DeclaredEntry | undefined>;
}

/** What `getAll` resolved for a point, and from which plugin instances. */
interface ResolvedPoint {
  readonly owners: ReadonlyMap<string, string>;
  readonly instances: ReadonlyMap<string, PluginInstance>;
  readonly contributions: readonly Contribution<unknown>[];
}

const EVENT_PREFIX: Record<ContributionKind, string> = {
  tools: 'onTool',
  toolSources: 'onToolSource',
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
  private declarerIndex: { readonly plan: Plan; readonly byKind: Map<ContributionKind, KindIndex> } | undefined;
  private readonly resolved = new Map<Token<unknown>, ResolvedPoint>();
  /** Each owners map (one per plugin-state change) → its declarations, in name order. */
  private readonly declarationLists = new WeakMap<ReadonlyMap<string, string>, readonly unknown[]>();
  /** Contributed objects already checked against their manifest entry (each is a singleton). */
  private readonly honoured = new WeakSet<object>();

  constructor(private readonly kernel: ActivationSource) {}

  names(point: Token<unknown>): readonly string[] {
    return [...this.owners(point).keys()];
  }

  declared<T>(point: Token<T>, name: string): Declared<T> | undefined {
    const owner = this.owners(point).get(name);
    return owner === undefined ? undefined : (this.entry(kindOf(point), owner, name)?.declared as Declared<T> | undefined);
  }

  declarations<T>(point: Token<T>): readonly Declared<T>[] {
    const owners = this.owners(point);
    let list = this.declarationLists.get(owners);
    if (!list) {
      const kind = kindOf(point);
      list = Object.freeze([...owners].flatMap(([name, owner]) => this.entry(kind, owner, name)?.declared ?? []));
      this.declarationLists.set(owners, list);
    }
    return list as readonly Declared<T>[];
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
    return this.checked(kind, owner, name, instance.container.get<T>(point, { name }));
  }

  async getAll<T>(point: Token<T>): Promise<readonly Contribution<T>[]> {
    const owners = this.owners(point);
    const cached = this.resolved.get(point);
    if (cached && this.stillCurrent(cached, owners)) return cached.contributions as readonly Contribution<T>[];
    const kind = kindOf(point);
    const instances = new Map<string, PluginInstance>();
    const settled = await Promise.allSettled(
      [...owners].map(async ([name, pluginId]) => {
        const instance = await this.kernel.activate(pluginId, `${EVENT_PREFIX[kind]}:${name}`);
        instances.set(pluginId, instance);
        if (!instance.bound.contributions.some((c) => c.point === point && c.name === name)) return undefined;
        return { name, pluginId, value: await this.checked(kind, pluginId, name, instance.container.get<T>(point, { name })) };
      }),
    );
    // Failed owners are already recorded as diagnostics on their plugin; the rest still serve.
    const contributions = Object.freeze(settled.flatMap((s) => (s.status === 'fulfilled' && s.value ? [s.value] : [])));
    // Kept only when every owner came up: a failed one is asked again next time (and, being no
    // longer runnable, is then left out without another attempt).
    if (settled.every((s) => s.status === 'fulfilled')) this.resolved.set(point, { owners, instances, contributions });
    else this.resolved.delete(point);
    return contributions;
  }

  /**
   * Whether a point's resolved contributions still stand: the same plugins own the same names, and
   * each is still the instance they were resolved from (a plugin that stopped, failed or was
   * reloaded has none, or a new one). Turns resolve tools and prompt sections every time, and
   * activating and resolving each owner again was a measurable share of a turn; this check is a
   * few map lookups.
   */
  private stillCurrent(cached: ResolvedPoint, owners: ReadonlyMap<string, string>): boolean {
    if (cached.owners !== owners) {
      if (cached.owners.size !== owners.size) return false;
      for (const [name, pluginId] of owners) if (cached.owners.get(name) !== pluginId) return false;
    }
    for (const [pluginId, instance] of cached.instances) if (this.kernel.instance(pluginId) !== instance) return false;
    return true;
  }

  /**
   * The object, once it is known to state nothing its manifest entry contradicts. One that does
   * fails its plugin (no other plugin is touched) and is never handed out.
   */
  private async checked<T>(kind: ContributionKind, pluginId: string, name: string, value: T): Promise<T> {
    if (typeof value !== 'object' || value === null || this.honoured.has(value)) return value;
    const entry = this.entry(kind, pluginId, name);
    const record = this.kernel.plan().records.get(pluginId);
    const problems = entry && record ? factMismatches(kind, name, entry, value, record.manifestPath) : [];
    if (problems.length > 0) throw await this.kernel.breach(pluginId, problems);
    this.honoured.add(value);
    return value;
  }

  private entry(kind: ContributionKind, pluginId: string, name: string): DeclaredEntry | undefined {
    const entries = this.index(kind).entries;
    const key = `${pluginId}\0${name}`;
    if (!entries.has(key)) {
      const manifest = this.kernel.plan().records.get(pluginId)?.manifest;
      entries.set(key, manifest && declaredEntry(pluginId, manifest, kind, name));
    }
    return entries.get(key);
  }

  /** An enabled plugin that declares `name` but cannot run, to explain why nothing provides it. */
  private blockedOwner(kind: ContributionKind, name: string): PluginRecord | undefined {
    return [...this.kernel.plan().records.values()].find((r) => r.enabled && !isRunnable(r) && r.manifest && declaredNames(r.manifest, kind).includes(name));
  }

  /**
   * name → owning plugin id; the first runnable plugin in discovery precedence wins a shared name.
   * Who declares what is indexed once per plan (turns look contributions up several times each).
   * Whether a declarer can run is asked on every lookup, since a plugin can fail at any time; the
   * owners worked out last are handed back while no declarer's answer has changed.
   */
  private owners(point: Token<unknown>): ReadonlyMap<string, string> {
    const index = this.index(kindOf(point));
    const { records, last } = index;
    if (last !== undefined && records.every((record, i) => isRunnable(record) === last.runnable[i])) return last.owners;
    const runnable = records.map(isRunnable);
    const owners = new Map<string, string>();
    for (const [name, declarers] of index.declarers) {
      const owner = declarers.find(isRunnable);
      if (owner) owners.set(name, owner.id);
    }
    index.last = { runnable, owners };
    return owners;
  }

  private index(kind: ContributionKind): KindIndex {
    const plan = this.kernel.plan();
    if (this.declarerIndex?.plan !== plan) this.declarerIndex = { plan, byKind: new Map() };
    let index = this.declarerIndex.byKind.get(kind);
    if (!index) {
      const declarers = recordsByName(plan.records.values(), (r) => (r.manifest ? declaredNames(r.manifest, kind) : []));
      index = { declarers, records: [...new Set([...declarers.values()].flat())], last: undefined, entries: new Map() };
      this.declarerIndex.byKind.set(kind, index);
    }
    return index;
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
