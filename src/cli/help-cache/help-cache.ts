import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestRootPaths } from '../../kernel/discovery/manifest-files.js';
import { writeAtomically } from '../../kernel/host/atomic-write.js';
import { defaultHome } from '../../kernel/kernel-options.js';
import { buildStamp, configStamp, envStamp, fileHash, manifestsStamp } from './help-fingerprint.js';

/** Bumped whenever an entry's shape or what it is checked against changes. */
const FORMAT = 2;
/** Entries kept per NEXUS_HOME (one per command line, folder and terminal shape); the oldest go first. */
const MAX_ENTRIES = 200;

/** What a help run printed, to print again. */
export interface HelpOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** The plugins' commands in the help: the config that enabled them and the manifests that declared them. */
export interface PluginsStamp {
  readonly config: string;
  readonly roots: ManifestRootPaths;
  readonly manifests: string;
}

export interface HelpEntry extends HelpOutput {
  readonly format: number;
  readonly key: string;
  readonly build: string;
  /** The environment variables the run read, and what they held then (see envStamp: secrets only as a digest). */
  readonly envNames: readonly string[];
  readonly env: string;
  /** Absent when the help came from the host alone (`nexus plugins --help`). */
  readonly plugins?: PluginsStamp;
}

/** Where and under what a help is cached: the command line, the folder, and the output's shape. */
export interface HelpKey {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Commander wraps the help to a terminal's width (stdout's, or stderr's for the help on errors). */
function terminalShape(): unknown[] {
  return [process.stdout, process.stderr].map((stream) => (stream.isTTY ? [stream.columns, stream.hasColors?.()] : null));
}

function keyText(key: HelpKey): string {
  return JSON.stringify([key.argv, key.cwd, terminalShape()]);
}

function entryFile(key: HelpKey, text: string): string {
  return join(defaultHome(key.env), 'cache', 'help', `${fileHash(text)}.json`);
}

/**
 * The cached help for this command line, when everything it was made from is as it was then:
 * the host build, the environment it read, the config file, and every manifest discovery would
 * find (added, removed or changed). Undefined otherwise, or on any trouble reading: it is a cache.
 */
export function cachedHelp(key: HelpKey): HelpOutput | undefined {
  try {
    const text = keyText(key);
    const entry = JSON.parse(readFileSync(entryFile(key, text), 'utf8')) as HelpEntry;
    if (entry.format !== FORMAT || entry.key !== text) return undefined;
    if (entry.build !== buildStamp() || entry.env !== envStamp(entry.envNames, key.env)) return undefined;
    if (entry.plugins) {
      if (entry.plugins.config !== configStamp(key.argv, key.env, key.cwd)) return undefined;
      if (entry.plugins.manifests !== manifestsStamp(entry.plugins.roots).stamp) return undefined;
    }
    return { stdout: entry.stdout, stderr: entry.stderr, code: entry.code };
  } catch {
    return undefined;
  }
}

/** Stores a help. A failed write (a read-only NEXUS_HOME) only costs the next run its speed. */
export function storeHelp(key: HelpKey, made: Omit<HelpEntry, 'format' | 'key' | 'build'> & { readonly build: string }): void {
  const text = keyText(key);
  const file = entryFile(key, text);
  try {
    writeAtomically(file, JSON.stringify({ format: FORMAT, key: text, ...made } satisfies HelpEntry), 0o600);
    prune(join(file, '..'));
  } catch {
    // Only a cache.
  }
}

function prune(dir: string): void {
  const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
  if (files.length <= MAX_ENTRIES) return;
  const byAge = files
    .map((name) => ({ path: join(dir, name), mtimeMs: statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => a.mtimeMs - b.mtimeMs);
  for (const { path } of byAge.slice(0, files.length - MAX_ENTRIES)) rmSync(path, { force: true });
}
