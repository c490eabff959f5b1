import { readFileSync, type Stats } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Diagnostic, DiagnosticSource } from '@nexus/plugin-sdk';
import { MANIFEST_FILE, type ManifestParser, type ManifestResult } from '../manifest/index.js';
import type { DiscoveryIndex } from './discovery-index.js';
import { manifestsAt, manifestsInPackages, manifestsInSubfolders } from './manifest-files.js';

export type PluginOrigin = 'builtin' | 'config' | 'workspace' | 'installed';

export interface DiscoveredManifest {
  readonly origin: PluginOrigin;
  readonly manifestPath: string;
  readonly dir: string;
  readonly result: ManifestResult;
  /** Set when found through `plugins.entries.<id>.path`: the id the entry expects. */
  readonly expectedId?: string;
  /** Where in the config this location came from, for diagnostics. */
  readonly configSource?: DiagnosticSource;
}

export interface DiscoveryRoots {
  /** Folders whose sub-folders are built-in plugins. */
  readonly builtinDirs: readonly string[];
  /** `plugins.load.paths`: a plugin folder, a manifest file, or a folder of plugin folders. */
  readonly loadPaths: readonly { readonly path: string; readonly source: DiagnosticSource }[];
  /** `plugins.entries.<id>.path`. */
  readonly entryPaths: readonly { readonly id: string; readonly path: string; readonly source: DiagnosticSource }[];
  /** `<workspace>/.nexus/plugins`. */
  readonly workspacePluginDir: string;
  /** `node_modules` folders whose packages may carry a manifest. */
  readonly packageDirs: readonly string[];
}

/**
 * Finds manifests in precedence order (built-ins, config paths, workspace, installed packages)
 * and parses each through the index. Reads files only; no plugin code runs here.
 */
export function discoverManifests(
  roots: DiscoveryRoots,
  parser: ManifestParser,
  index: DiscoveryIndex,
): { readonly found: DiscoveredManifest[]; readonly diagnostics: Diagnostic[] } {
  const found: DiscoveredManifest[] = [];
  const diagnostics: Diagnostic[] = [];
  const read = (manifestPath: string, stats: Stats, origin: PluginOrigin, extra: Partial<DiscoveredManifest> = {}) => {
    let result = index.lookup(manifestPath, stats.mtimeMs, stats.size);
    if (!result) {
      result = parseFile(manifestPath, parser);
      index.store(manifestPath, stats.mtimeMs, stats.size, result);
    }
    found.push({ origin, manifestPath, dir: dirname(manifestPath), result, ...extra });
  };

  for (const dir of roots.builtinDirs) {
    for (const [path, stats] of manifestsInSubfolders(dir)) read(path, stats, 'builtin');
  }
  for (const { path, source } of roots.loadPaths) {
    const manifests = manifestsAt(path, true);
    if (manifests === undefined) {
      diagnostics.push({
        level: 'warning',
        code: 'discovery.path-missing',
        message: `plugins.load.paths entry does not exist: ${path}`,
        source,
        hint: 'fix the path (relative paths resolve against the config file) or remove the entry',
      });
      continue;
    }
    if (manifests.length === 0) {
      diagnostics.push({
        level: 'warning',
        code: 'discovery.no-manifest',
        message: `no ${MANIFEST_FILE} found at ${path} or in its sub-folders`,
        source,
        hint: `point the entry at a plugin folder (one holding ${MANIFEST_FILE}) or at a folder of plugin folders`,
      });
    }
    for (const [manifestPath, stats] of manifests) read(manifestPath, stats, 'config', { configSource: source });
  }
  for (const { id, path, source } of roots.entryPaths) {
    const manifests = manifestsAt(path, false);
    const first = manifests?.[0];
    if (!first) {
      diagnostics.push({
        level: 'error',
        code: 'discovery.entry-path-missing',
        message: `plugins.entries.${id}.path has no ${MANIFEST_FILE}: ${path}`,
        pluginId: id,
        source,
        hint: `point it at the plugin's folder or at its ${MANIFEST_FILE}`,
      });
      continue;
    }
    read(first[0], first[1], 'config', { expectedId: id, configSource: source });
  }
  for (const [path, stats] of manifestsInSubfolders(roots.workspacePluginDir)) read(path, stats, 'workspace');
  for (const dir of roots.packageDirs) {
    for (const [path, stats] of manifestsInPackages(dir)) read(path, stats, 'installed');
  }
  return { found, diagnostics };
}

/** The id a manifest is listed under: its own, or its folder's name when it could not be read. */
export function listedId(manifest: DiscoveredManifest): string {
  return manifest.result.ok ? manifest.result.manifest.id : basename(manifest.dir);
}

function parseFile(path: string, parser: ManifestParser): ManifestResult {
  try {
    return parser.parse(readFileSync(path, 'utf8'), path);
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        {
          level: 'error',
          code: 'manifest.unreadable',
          message: `cannot read ${path}: ${(error as Error).message}`,
          source: { file: path },
          hint: 'check the file permissions',
        },
      ],
    };
  }
}
