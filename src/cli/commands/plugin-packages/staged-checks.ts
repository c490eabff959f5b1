import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { Kernel, MANIFEST_FILE, versionSatisfies, type PluginManifest, type PluginRecord } from '../../../kernel/index.js';
import { CliExit, EXIT } from '../../cli-context.js';
import { formatDiagnostics } from '../../output/index.js';
import { hostSdk } from '../host-sdk.js';
import { describePermission } from '../plugin-permissions.js';
import type { InstallRecord } from './install-records.js';
import type { PackageContext } from './install-flow.js';
import type { StagedPackage } from './staged-package.js';

/** A staged plugin that passed every check, with what the operator should still know. */
export interface CheckedPlugin {
  readonly manifest: PluginManifest;
  readonly warnings: readonly Diagnostic[];
  /** Its declared `permissions`, each with what it unlocks (as `plugins info` shows them). */
  readonly permissions: readonly string[];
  /** Whether it will be on, and which rule says so (config, `enabledByDefault`, a slot). */
  readonly enabled: boolean;
  readonly enabledBy: string;
  /** False when a warning (a missing required plugin, invalid settings) keeps it from running for now. */
  readonly runnable: boolean;
}

/**
 * Problems the operator fixes in their own config once the plugin is there (its settings, a
 * plugin it requires, installed next): shown, but they do not stop the install.
 */
const FIXABLE_AFTER_INSTALL = new Set(['plugin.config-invalid', 'plugin.config-unexpected', 'plugin.dependency-unavailable']);

/**
 * Everything the kernel checks before it would load a plugin, run on the staged copy before it
 * is moved into place: the manifest's schema, `engines.nexus`, id conflicts with every plugin
 * discovery finds (built-ins included), slots, contribution clashes. It is the kernel's own plan,
 * made with the staging folder searched first; nothing here validates a manifest by other rules.
 * Only the SDK range in package.json is checked here, as the kernel never reads package.json.
 */
export function checkStaged(staged: StagedPackage, ctx: PackageContext, replacing: InstallRecord | undefined): CheckedPlugin {
  const { kernel: current, home } = ctx;
  const what = `${staged.packed.name}@${staged.packed.version}`;
  if (!existsSync(staged.manifestPath)) throw noManifest(staged, what);
  if (replacing && replacing.package !== staged.packed.name) {
    throw refuse(`${staged.source.spec} now gives the package ${staged.packed.name}, but ${replacing.id} is installed as ${replacing.package}`, `a package's name cannot change in an update: uninstall ${replacing.id}, then install the new package`);
  }
  const installedDir = home.packageDir(staged.packed.name);
  if (!replacing && existsSync(installedDir)) {
    const recorded = ctx.records.byPackage(staged.packed.name);
    throw recorded
      ? refuse(`package ${staged.packed.name} is already installed in ${installedDir} as the plugin "${recorded.id}"`, `\`nexus plugins update ${recorded.id}\` installs its source again; to install from another source, \`nexus plugins uninstall ${recorded.id}\` first`)
      : refuse(`${installedDir} is already there, but not installed with \`nexus plugins install\` (it has no record)`, `remove that folder (a package put there with npm by hand), then install again`);
  }

  const trial = new Kernel({
    config: current.config,
    home: current.home,
    workspaceDir: current.workspaceDir,
    packageDirs: [staged.nodeModules, ...current.discoveryRoots().packageDirs],
    discoveryIndex: false,
  });
  const records = [...trial.plan().records.values()];
  const replaced = replacing ? join(home.packageDir(replacing.package), MANIFEST_FILE) : undefined;
  const record = records.find((r) => r.manifestPath === staged.manifestPath);
  if (!record) {
    // Found after a plugin with the same id (a built-in, say), so discovery ignored it.
    const winner = records.find((r) => r.diagnostics.some((d) => d.code === 'plugin.duplicate-id' && d.source?.file === staged.manifestPath));
    throw idConflict(winner?.id ?? staged.packed.name, winner);
  }
  // Found first, so the other copy (the one `current` uses) is the ignored one; an update's own old copy does not count.
  if (record.diagnostics.some((d) => d.code === 'plugin.duplicate-id' && d.source?.file !== replaced)) throw idConflict(record.id, current.record(record.id));
  if (replacing && record.manifest && record.manifest.id !== replacing.id) {
    throw refuse(`${what} is the plugin "${record.manifest.id}", but it is installed as "${replacing.id}"`, `a plugin's id cannot change in an update: uninstall ${replacing.id}, then install the new package`);
  }

  const diagnostics = [...record.diagnostics.filter((d) => d.code !== 'plugin.duplicate-id'), ...sdkMismatch(staged, record.id)].map((d) => inSource(d, staged));
  const errors = diagnostics.filter((d) => d.level === 'error' && !FIXABLE_AFTER_INSTALL.has(d.code));
  if (errors.length > 0 || !record.manifest) {
    throw new CliExit(EXIT.problems, `${what} (${describe(staged)}) cannot be installed:\n${formatDiagnostics(errors)}nothing was changed`);
  }
  return {
    manifest: record.manifest,
    // Errors that do not stop the install are its warnings: the plugin stays off until they are fixed.
    warnings: diagnostics.filter((d) => !errors.includes(d)).map((d) => ({ ...d, level: 'warning' as const })),
    permissions: (record.manifest.permissions ?? []).map((service) => describePermission(trial, service)),
    enabled: record.enabled,
    enabledBy: record.enabledBy,
    runnable: record.state !== 'quarantined' && record.state !== 'failed',
  };
}

/** Where a staged file is for the operator: in the folder they gave, inside the tarball, or in the npm package. */
function inSource(d: Diagnostic, staged: StagedPackage): Diagnostic {
  const file = d.source?.file;
  if (!file?.startsWith(staged.dir)) return d;
  const inside = relative(staged.dir, file);
  const shown = staged.source.kind === 'folder' ? join(staged.source.spec, inside) : `${staged.source.spec} › package/${inside}`;
  return { ...d, source: { ...d.source, file: shown } };
}

function describe(staged: StagedPackage): string {
  return staged.source.kind === 'npm' ? `from npm as ${staged.source.spec}` : `from ${staged.source.spec}`;
}

function refuse(what: string, fix: string): CliExit {
  return new CliExit(EXIT.problems, `${what}\n    hint: ${fix}\nnothing was changed`);
}

function noManifest(staged: StagedPackage, what: string): CliExit {
  let files = '';
  try {
    const pkg = JSON.parse(readFileSync(join(staged.dir, 'package.json'), 'utf8')) as { files?: unknown };
    if (Array.isArray(pkg.files)) files = ` (its package.json has a "files" list: add "${MANIFEST_FILE}" to it)`;
  } catch {
    // No package.json to hint from.
  }
  return refuse(
    `${what} (${describe(staged)}) is not a Nexus plugin: it has no ${MANIFEST_FILE} beside its package.json`,
    `a plugin package ships its manifest at the package root${files}; \`nexus plugins new\` scaffolds one`,
  );
}

function idConflict(id: string, holder: PluginRecord | undefined): CliExit {
  const where = holder ? ` by the ${holder.origin === 'builtin' ? 'built-in' : holder.origin} plugin at ${holder.manifestPath}` : '';
  const fix =
    holder?.origin === 'builtin'
      ? 'a built-in plugin cannot be replaced; the plugin needs another id (ask its author), or disable the built-in and use a different plugin'
      : holder?.origin === 'installed'
        ? `it is installed already: \`nexus plugins update ${id}\` gets another version, \`nexus plugins uninstall ${id}\` removes it`
        : 'remove that copy (from plugins.load.paths, plugins.entries.<id>.path or the workspace\'s .nexus/plugins) first, or give one of them another id';
  return refuse(`the plugin id "${id}" is taken${where}`, fix);
}

/** `@nexus/plugin-sdk` ranges in package.json that this host's SDK does not satisfy. */
function sdkMismatch(staged: StagedPackage, id: string): Diagnostic[] {
  const packageJson = join(staged.dir, 'package.json');
  let pkg: Record<string, Record<string, string> | undefined>;
  try {
    pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as typeof pkg;
  } catch {
    return [];
  }
  const sdk = hostSdk().version;
  return (['peerDependencies', 'dependencies'] as const).flatMap((field) => {
    const range = pkg[field]?.['@nexus/plugin-sdk'];
    if (typeof range !== 'string' || versionSatisfies(sdk, range)) return [];
    return [{
      level: 'error',
      code: 'plugin.sdk-mismatch',
      message: `${id} is built for @nexus/plugin-sdk ${range}, but this host provides ${sdk}`,
      pluginId: id,
      source: { file: packageJson, pointer: `/${field}/@nexus~1plugin-sdk` },
      hint: `install a version of ${id} built for @nexus/plugin-sdk ${sdk}`,
    } satisfies Diagnostic];
  });
}
