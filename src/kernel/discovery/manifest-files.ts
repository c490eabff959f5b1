// Where manifests are on disk: directory listings and stats only, never a file's content. Kept
// apart from discover.ts (which parses) and free of anything heavier than node:fs, because the
// CLI's help cache walks the same places to tell whether a cached help is still current, without
// loading the kernel (src/cli/help-cache).
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join, sep } from 'node:path';
import { MANIFEST_FILE } from '../manifest/manifest.js';

/** The places discovery looks, as paths only (DiscoveryRoots carries config sources besides). */
export interface ManifestRootPaths {
  readonly builtinDirs: readonly string[];
  readonly loadPaths: readonly string[];
  readonly entryPaths: readonly string[];
  readonly workspacePluginDir: string;
  readonly packageDirs: readonly string[];
}

/**
 * Every manifest file discovery would read under `roots`, in discovery's order. The help cache
 * compares this list (with each file's stats) to the one its entry was made with.
 */
export function manifestFilesIn(roots: ManifestRootPaths): [string, Stats][] {
  return [
    ...roots.builtinDirs.flatMap((dir) => manifestsInSubfolders(dir)),
    ...roots.loadPaths.flatMap((path) => manifestsAt(path, true) ?? []),
    ...roots.entryPaths.flatMap((path) => manifestsAt(path, false)?.slice(0, 1) ?? []),
    ...manifestsInSubfolders(roots.workspacePluginDir),
    ...roots.packageDirs.flatMap((dir) => manifestsInPackages(dir)),
  ];
}

function statFile(path: string): Stats | undefined {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    return stats?.isFile() ? stats : undefined;
  } catch {
    // ENOTDIR (a stray file beside plugin folders), EACCES…: not a plugin here.
    return undefined;
  }
}

/**
 * Manifests at a configured location: the file itself, a plugin folder, or (when
 * `allowContainer`) the plugin folders inside it. Undefined when the path does not exist.
 */
export function manifestsAt(path: string, allowContainer: boolean): [string, Stats][] | undefined {
  let stats: Stats | undefined;
  try {
    stats = statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
  if (!stats) return undefined;
  if (stats.isFile()) return [[path, stats]];
  const own = join(path, MANIFEST_FILE);
  const ownStats = statFile(own);
  if (ownStats) return [[own, ownStats]];
  return allowContainer ? manifestsInSubfolders(path) : [];
}

export function manifestsInSubfolders(dir: string): [string, Stats][] {
  const result: [string, Stats][] = [];
  for (const name of listDir(dir)) {
    if (name.startsWith('.')) continue;
    const path = join(dir, name, MANIFEST_FILE);
    const stats = statFile(path);
    if (stats) result.push([path, stats]);
  }
  return result;
}

export function manifestsInPackages(nodeModules: string): [string, Stats][] {
  const result: [string, Stats][] = [];
  // Joined by hand: `name` is one entry of the listing, and path.join's normalising was a fifth
  // of discovery's time with a thousand packages installed.
  const prefix = join(nodeModules, sep);
  for (const name of listDir(nodeModules)) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) result.push(...manifestsInSubfolders(prefix + name));
    else {
      const path = prefix + name + sep + MANIFEST_FILE;
      const stats = statFile(path);
      if (stats) result.push([path, stats]);
    }
  }
  return result;
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
