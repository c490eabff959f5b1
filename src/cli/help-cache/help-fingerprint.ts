// What a cached help depends on, read with stats and a few small files only: this runs before
// anything else of the host is loaded, on every `nexus --help`.
import type * as Crypto from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
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

/**
 * Variables whose values are names, paths, levels and ports, never secrets: kept as they are. A
 * value of any other variable the run read (a `${VAR}` in the config could be an API key) is
 * kept only as a SHA-256 digest, so the cache file never holds it.
 */
const PLAIN = new Set([...ALWAYS_WATCHED, 'NEXUS_LOG_LEVEL', 'NEXUS_HOST', 'NEXUS_HTTP_PORT', 'NEXUS_GRPC_PORT', 'NEXUS_METRICS_PORT', 'NEXUS_TOKEN_EXPIRY']);

/** What the named variables held: a change to any of them, set, unset or another value, changes it. */
export function envStamp(names: readonly string[], env: NodeJS.ProcessEnv): string {
  const shown: string[] = [];
  const hidden: [string, string][] = [];
  for (const name of names) {
    const value = env[name];
    if (value === undefined) shown.push(`${name}:unset`);
    else if (value === '' || PLAIN.has(name)) shown.push(`${name}=${value}`);
    else hidden.push([name, value]);
  }
  // node:crypto costs a noticeable part of a cached help's time, so it loads only when needed.
  const digest = hidden.length === 0 ? '' : sha256(JSON.stringify(hidden));
  return JSON.stringify([shown, digest]);
}

export function sha256(text: string): string {
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** A short, fast, non-cryptographic hash (cyrb53) for file names; what it names is checked inside. */
export function fileHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
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
