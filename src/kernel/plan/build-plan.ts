import { join } from 'node:path';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { readPluginsConfig, type LoadedConfig, type PluginsConfig } from '../config/index.js';
import { discoverManifests, type DiscoveryIndex, type DiscoveryRoots, type ManifestRootPaths } from '../discovery/index.js';
import { hostPaths } from '../host/index.js';
import { ManifestParser } from '../manifest/index.js';
import { joinPointer, type SchemaCompiler } from '../schema/index.js';
import type { HostRequirements } from '../kernel-options.js';
import { planPlugins, type Plan } from './plan.js';

export interface PlanContext {
  readonly schemas: SchemaCompiler;
  readonly index: DiscoveryIndex;
  readonly hostVersion: string;
  readonly home: string;
  readonly workspaceDir: string;
  readonly builtinDirs?: readonly string[];
  readonly packageDirs?: readonly string[];
  readonly checkAllConfig: boolean;
  readonly hostRequires?: HostRequirements;
}

export interface Planned {
  readonly plan: Plan;
  readonly plugins: PluginsConfig;
  /** Where discovery looked, as paths: what a cache of anything derived from the manifests must watch. */
  readonly roots: ManifestRootPaths;
  /** Problems owned by no single plugin; `config.*` errors among them stop startup. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Discover → validate → plan for one config. Reads manifests and config only; runs no plugin code. */
export function buildPlan(config: LoadedConfig, context: PlanContext): Planned {
  const plugins = readPluginsConfig(config, context.schemas, context.workspaceDir);
  const roots: DiscoveryRoots = {
    builtinDirs: context.builtinDirs ?? [hostPaths.builtinPlugins],
    loadPaths: plugins.value.loadPaths.map(({ path, pointer }) => ({ path, source: config.locate(pointer) })),
    entryPaths: Object.entries(plugins.value.entries).flatMap(([id, entry]) =>
      entry.path ? [{ id, path: entry.path, source: config.locate(joinPointer('plugins', 'entries', id, 'path')) }] : [],
    ),
    workspacePluginDir: join(context.workspaceDir, '.nexus', 'plugins'),
    packageDirs: context.packageDirs ?? [join(context.workspaceDir, 'node_modules'), join(context.home, 'plugins', 'node_modules')],
  };
  const discovery = discoverManifests(roots, new ManifestParser(context.schemas), context.index);
  const plan = planPlugins({
    discovered: discovery.found,
    plugins: plugins.value,
    config,
    hostVersion: context.hostVersion,
    schemas: context.schemas,
    checkAllConfig: context.checkAllConfig,
    ...(context.hostRequires ? { hostRequires: context.hostRequires } : {}),
  });
  context.index.save();
  return { plan, plugins: plugins.value, roots: rootPaths(roots), diagnostics: [...config.diagnostics, ...plugins.diagnostics, ...discovery.diagnostics, ...plan.diagnostics] };
}

/**
 * What a plugin reads from the config: its entry and the sections it owns. Reload restarts a
 * plugin only when this changes.
 */
export function pluginSlice(planned: Planned, config: LoadedConfig, pluginId: string): string {
  const sections = [...planned.plan.sectionOwners].filter(([, owner]) => owner.pluginId === pluginId).map(([name]) => name);
  const values = sections.map((name) => {
    const [root = name, key] = name.split('.');
    const section = config.data[root] as Record<string, unknown> | undefined;
    return key === undefined ? section : section?.[key];
  });
  const entry = (config.data.plugins as { entries?: Record<string, unknown> } | undefined)?.entries?.[pluginId];
  const record = planned.plan.records.get(pluginId);
  return JSON.stringify({ entry, values, enabled: record?.enabled, state: record?.state === 'active' ? 'discovered' : record?.state });
}

function rootPaths(roots: DiscoveryRoots): ManifestRootPaths {
  return {
    builtinDirs: roots.builtinDirs,
    loadPaths: roots.loadPaths.map(({ path }) => path),
    entryPaths: roots.entryPaths.map(({ path }) => path),
    workspacePluginDir: roots.workspacePluginDir,
    packageDirs: roots.packageDirs,
  };
}
