import { realpathSync } from 'node:fs';
import type { Diagnostic } from '@nexus/plugin-sdk';
import type { LoadedConfig, PluginsConfig } from '../config/index.js';
import type { HostRequirements } from '../kernel-options.js';
import { listedId, type DiscoveredManifest } from '../discovery/index.js';
import { didYouMean, joinPointer, type SchemaCompiler } from '../schema/index.js';
import { checkContributionNames, sectionOwners, validateSections, type SectionOwner } from '../settings/index.js';
import { activationEventsOf, unreachableActivationEvents } from './activation-events.js';
import { checkConfigSlice } from './config-slice.js';
import { contributionClashes } from './contribution-clashes.js';
import { checkDependencies } from './dependency-graph.js';
import { decideEnablement } from './enablement.js';
import type { PluginRecord } from './plugin-record.js';
import { resolveSlots } from './slots.js';
import { versionSatisfies } from './version-satisfies.js';

export interface PlanInput {
  readonly discovered: readonly DiscoveredManifest[];
  readonly plugins: PluginsConfig;
  readonly config: LoadedConfig;
  readonly hostVersion: string;
  readonly schemas: SchemaCompiler;
  /** Validate every plugin's config now, not only those that have config or start at startup. */
  readonly checkAllConfig: boolean;
  /** Plugins and slots the host needs; their plugins are marked `required` (`requiredBy` the host). */
  readonly hostRequires?: HostRequirements;
}

export interface Plan {
  /** In discovery precedence order. */
  readonly records: ReadonlyMap<string, PluginRecord>;
  /** Slot name → occupant plugin id. */
  readonly slotOccupants: ReadonlyMap<string, string>;
  /** Problems not owned by one plugin (unknown ids and sections in config, bad slot choices). */
  readonly diagnostics: readonly Diagnostic[];
  /** Who owns each plugin-provided config section. */
  readonly sectionOwners: ReadonlyMap<string, SectionOwner>;
  /** Every config section with its schema defaults applied (invalid ones as written). */
  readonly effectiveConfig: Readonly<Record<string, unknown>>;
}

/** Validate and plan: from manifests and config to a decision for every plugin. No code runs. */
export function planPlugins(input: PlanInput): Plan {
  const records = new Map<string, PluginRecord>();
  const diagnostics: Diagnostic[] = [];

  for (const found of input.discovered) addRecord(records, found);

  for (const record of records.values()) {
    if (record.state === 'failed' || !record.manifest) continue;
    const range = record.manifest.engines?.nexus;
    if (range && !versionSatisfies(input.hostVersion, range)) {
      record.state = 'failed';
      record.diagnostics.push({
        level: 'error',
        code: 'plugin.engine-mismatch',
        message: `${record.id} supports Nexus ${range}, but this host is ${input.hostVersion}`,
        pluginId: record.id,
        source: { file: record.manifestPath, pointer: '/engines/nexus' },
        hint: `install a version of ${record.id} built for Nexus ${input.hostVersion}, or widen engines.nexus if it is compatible`,
      });
    }
  }

  for (const record of records.values()) {
    const decision = decideEnablement(record.id, record.origin, record.manifest, input.plugins, input.config.data);
    record.enabled = decision.enabled;
    record.enabledBy = decision.by;
    record.required = input.plugins.entries[record.id]?.required === true;
    if (!decision.enabled && record.state === 'discovered') record.state = 'disabled';
  }

  diagnostics.push(...unknownIds(records, input.plugins, input.config));
  checkDependencies(records);
  const slots = resolveSlots(records, input.plugins, input.config);
  diagnostics.push(...slots.diagnostics);
  markHostRequired(records, slots.occupants, input.hostRequires);

  for (const record of records.values()) {
    if (record.state === 'failed') continue;
    const entry = input.plugins.entries[record.id];
    const startsEarly = record.enabled && record.activationEvents.has('onStartup');
    if (input.checkAllConfig || startsEarly || (entry && 'config' in entry)) {
      checkConfigSlice(record, entry, input.config, input.schemas);
    }
  }
  const sectionOwnership = sectionOwners(records.values());
  const sections = validateSections(input.config, sectionOwnership, records, input.schemas);
  diagnostics.push(...sections.diagnostics);
  checkContributionNames(input.config, sectionOwnership, records, sections.effective);
  // Config problems may have quarantined plugins that others require.
  checkDependencies(records);
  contributionClashes(records);

  return { records, slotOccupants: slots.occupants, diagnostics, sectionOwners: sectionOwnership, effectiveConfig: sections.effective };
}

/** The host's plugins, and the occupants of the host's slots, count as required (by the host). */
function markHostRequired(records: ReadonlyMap<string, PluginRecord>, occupants: ReadonlyMap<string, string>, host: HostRequirements | undefined): void {
  if (!host) return;
  const ids = [...(host.plugins ?? []), ...(host.slots ?? []).flatMap((slot) => occupants.get(slot) ?? [])];
  for (const id of ids) {
    const record = records.get(id);
    if (!record) continue;
    record.required = true;
    record.requiredBy = host.host;
  }
}

function addRecord(records: Map<string, PluginRecord>, found: DiscoveredManifest): void {
  const manifest = found.result.ok ? found.result.manifest : undefined;
  const id = found.expectedId ?? listedId(found);
  const record: PluginRecord = {
    id,
    manifest,
    origin: found.origin,
    manifestPath: found.manifestPath,
    dir: found.dir,
    enabled: false,
    enabledBy: '',
    required: false,
    state: found.result.ok ? 'discovered' : 'failed',
    diagnostics: found.result.ok ? [] : found.result.diagnostics.map((d) => ({ ...d, pluginId: id })),
    config: undefined,
    configChecked: false,
    activationEvents: manifest ? activationEventsOf(manifest) : new Set(),
  };
  if (manifest) record.diagnostics.push(...unreachableActivationEvents(manifest, found.manifestPath));
  if (manifest && found.expectedId !== undefined && manifest.id !== found.expectedId) {
    record.state = 'failed';
    record.diagnostics.push({
      level: 'error',
      code: 'plugin.id-mismatch',
      message: `plugins.entries.${found.expectedId}.path points at a plugin whose manifest id is "${manifest.id}"`,
      pluginId: found.expectedId,
      source: found.configSource ?? { file: found.manifestPath },
      hint: `rename the entry to plugins.entries.${manifest.id}, or point it at the "${found.expectedId}" plugin`,
    });
  }

  const existing = records.get(id);
  if (!existing) {
    records.set(id, record);
    return;
  }
  // The same files reached twice (a symlinked workspace package, say) are one plugin, not two.
  if (sameFile(existing.manifestPath, record.manifestPath)) return;
  existing.diagnostics.push({
    level: 'warning',
    code: 'plugin.duplicate-id',
    message: `plugin id "${id}" is found twice: using ${existing.manifestPath} (${existing.origin}), ignoring ${record.manifestPath} (${record.origin})`,
    pluginId: id,
    source: { file: record.manifestPath, pointer: '/id' },
    hint: 'remove one copy, or give one of them a different id',
  });
}

function sameFile(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}

function unknownIds(records: ReadonlyMap<string, PluginRecord>, plugins: PluginsConfig, config: LoadedConfig): Diagnostic[] {
  const known = [...records.keys()];
  const result: Diagnostic[] = [];
  const check = (id: string, pointer: string, what: string) => {
    if (records.has(id)) return;
    const suggestion = didYouMean(id, known);
    result.push({
      level: 'warning',
      code: 'config.unknown-plugin',
      message: `${what} names "${id}", but no plugin with that id was found`,
      source: config.locate(pointer, { key: what.includes('entries') }),
      hint: suggestion ? `did you mean "${suggestion}"?` : 'run `nexus plugins list` to see the discovered ids',
    });
  };
  for (const id of Object.keys(plugins.entries)) check(id, joinPointer('plugins', 'entries', id), `plugins.entries.${id}`);
  plugins.allow?.forEach((id, i) => check(id, joinPointer('plugins', 'allow', i), 'plugins.allow'));
  plugins.deny.forEach((id, i) => check(id, joinPointer('plugins', 'deny', i), 'plugins.deny'));
  return result;
}
