import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hostPaths } from '../host/index.js';

/**
 * Packages a plugin must share with the host: two copies of inversify would split the
 * container's metadata, and two SDK copies would split contract identities.
 */
const SHARED_PACKAGES = ['inversify', '@inversifyjs/common', '@inversifyjs/core', '@inversifyjs/container', 'reflect-metadata', '@nexus/plugin-sdk'];

export interface SharedModules {
  /** Bare specifier → the host's own file, for the compiling loader's aliases. */
  readonly aliases: Readonly<Record<string, string>>;
  readonly names: readonly string[];
  /** Whether plain Node resolution from `dir` already reaches the host's copies of all of them. */
  resolvesToHostCopies(dir: string): boolean;
}

export function sharedModules(): SharedModules {
  const require = createRequire(hostPaths.packageJson);
  const aliases: Record<string, string> = {};
  for (const name of SHARED_PACKAGES) {
    try {
      aliases[name] = require.resolve(name);
    } catch {
      // Not installed beside the host (the SDK is absent outside the repo and its packages).
    }
  }
  // The SDK re-exports the host's contracts; with no SDK package beside the host, point straight at them.
  aliases['@nexus/plugin-sdk'] ??= join(hostPaths.root, 'dist', 'contracts', 'index.js');
  aliases['@nexus/plugin-sdk/testing'] = join(hostPaths.root, 'dist', 'kernel', 'testing', 'index.js');

  const hostCopies = new Map(SHARED_PACKAGES.map((name) => [name, nearestPackage(hostPaths.root, name)]));
  return {
    aliases,
    names: Object.keys(aliases),
    resolvesToHostCopies(dir) {
      return SHARED_PACKAGES.every((name) => nearestPackage(dir, name) === hostCopies.get(name));
    },
  };
}

/** The real path of the `node_modules/<name>` that Node would pick from `dir`, if any. */
function nearestPackage(dir: string, name: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    try {
      return realpathSync(join(current, 'node_modules', name));
    } catch {
      // Not here; keep walking up.
    }
    if (dirname(current) === current) return undefined;
  }
}
