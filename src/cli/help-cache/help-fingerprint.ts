// What a cached help depends on, read with stats and a few small files only: this runs before
// anything else of the host is loaded, on every `nexus --help`.
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { resolveConfigSource } from '../../kernel/config/config-source.js';
import { manifestFilesIn, type ManifestRootPaths } from '../../kernel/discovery/manifest-files.js';
import { hostPaths } from '../../kernel/host/host-paths.js';
import { defaultHome } from '../../kernel/kernel-options.js';
import { scanGlobals } from '../command-line/scan-globals.js';

/**
 * Variables the help depends on whoever reads them: which config file applies, and commander's
 * colour switches. The run records the rest it reads (`${VAR}` in the config, `NEXUS_*` overrides).
 */
export const ALWAYS_WATCHED = ['NEXUS_HOME', 'NEXUS_CONFIG', 'NEXUS_PROFILE', 'NO_COLOR', 'FORCE_COLOR', 'CLICOLOR_FORCE'];

/** A file's identity and version: a rewrite, a replacement or a touch each change it. */
export function statStamp(stats: Stats | undefined): string {
  return stats ? `${stats.mtimeMs}:${stats.ctimeMs}:${stats.size}:${stats.ino}` : 'absent';
}

/**
 * The host build: a rebuild or an upgrade changes the host's commands and their help. dist/.built
 * is rewritten by every build (its content, not its time: npm packs files with a fixed mtime).
 */
export function buildStamp(): string {
  let built = 'no-build-stamp';
  try {
    built = readFileSync(`${hostPaths.root}dist/.built`, 'utf8').trim();
  } catch {
    // Running from the sources (tests): the package files below still tell versions apart.
  }
  const stamp = (path: string) => statStamp(statSync(path, { throwIfNoEntry: false }));
  return `${built}|${stamp(hostPaths.packageJson)}|${stamp(hostPaths.manifestSchema)}|${stamp(hostPaths.configSchema)}`;
}

/** A digest of the named variables' values: the cache file never holds a value itself (some are secrets). */
export function envDigest(names: readonly string[], env: NodeJS.ProcessEnv): string {
  return createHash('sha256')
    .update(JSON.stringify(names.map((name) => [name, env[name] ?? null])))
    .digest('hex');
}

/** The config file `argv` and the environment select, as the CLI resolves it, and its stamp. */
export function configStamp(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): string {
  const { globals } = scanGlobals(argv);
  const source = resolveConfigSource({ configFlag: globals.config, profileFlag: globals.profile, env, cwd, home: defaultHome(env) });
  if (!source.path) return 'defaults';
  const path = resolve(source.path);
  return `${path}|${statStamp(statSync(path, { throwIfNoEntry: false }))}`;
}

/** Every manifest discovery would find under `roots`, each with its stamp, in discovery's order. */
export function manifestsStamp(roots: ManifestRootPaths): { readonly stamp: string; readonly files: readonly [string, Stats][] } {
  const files = manifestFilesIn(roots);
  return { stamp: files.map(([path, stats]) => `${path}|${statStamp(stats)}`).join('\n'), files };
}
