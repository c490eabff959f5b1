import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostPaths } from '../host/index.js';

/**
 * Packages a plugin must share with the host: two copies of inversify would split the
 * container's metadata, and two SDK copies would split contract identities. A plugin resolves
 * them to the copies installed beside the host; the bundled host carries its own inversify and
 * reflect-metadata, and hands them out in place of the installed ones (`bundleRedirects`).
 */
const INVERSIFY_PACKAGES = ['inversify', '@inversifyjs/common', '@inversifyjs/core', '@inversifyjs/container', 'reflect-metadata'];
const SHARED_PACKAGES = [...INVERSIFY_PACKAGES, '@nexus/plugin-sdk'];

/** What a plugin that takes its decorators from the SDK shares with the host. */
export const SDK_ONLY: readonly string[] = ['@nexus/plugin-sdk'];

/**
 * Whether the plugin package in `dir` may import inversify or its parts itself: its
 * package.json names one in any dependency field, or there is no readable package.json to say.
 */
export function declaresInversify(dir: string): boolean {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return true;
  }
  const declared = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'].flatMap((field) => {
    const deps = pkg[field];
    return deps && typeof deps === 'object' ? Object.keys(deps) : [];
  });
  return INVERSIFY_PACKAGES.some((name) => declared.includes(name));
}

export interface SharedModules {
  /** Bare specifier → the host's own file, for the compiling loader's aliases. */
  readonly aliases: Readonly<Record<string, string>>;
  readonly names: readonly string[];
  /** Whether plain Node resolution from `dir` already reaches the host's copies of `names` (all of them by default). */
  resolvesToHostCopies(dir: string, names?: readonly string[]): boolean;
  /**
   * For the bundled host: each installed shared package's entry URL → the host's bundled module
   * for it (dist/kernel/load/shared), for the resolution hooks. Empty when the host runs from its
   * sources, where the installed copies are the host's own.
   */
  readonly bundleRedirects: Readonly<Record<string, string>>;
}

/** The shared packages the bundled host carries, with the file of its copy of each. */
const BUNDLED_COPIES: Readonly<Record<string, string>> = {
  inversify: 'inversify.js',
  '@inversifyjs/common': 'inversifyjs-common.js',
  '@inversifyjs/core': 'inversifyjs-core.js',
  '@inversifyjs/container': 'inversifyjs-container.js',
  'reflect-metadata': 'reflect-metadata.js',
};

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

  const bundleRedirects: Record<string, string> = {};
  if (hostPaths.bundled) {
    for (const [name, file] of Object.entries(BUNDLED_COPIES)) {
      const bundledCopy = pathToFileURL(join(hostPaths.root, 'dist', 'kernel', 'load', 'shared', file)).href;
      // `import` and `require` may pick different files of one package; both lead to the host's copy.
      for (const installed of [aliases[name] && pathToFileURL(aliases[name]).href, esmEntry(name)]) {
        if (installed) bundleRedirects[installed] = bundledCopy;
      }
    }
  }

  const hostCopies = new Map(SHARED_PACKAGES.map((name) => [name, nearestPackage(hostPaths.root, name)]));
  return {
    aliases,
    names: Object.keys(aliases),
    bundleRedirects,
    resolvesToHostCopies(dir, names = SHARED_PACKAGES) {
      return names.every((name) => {
        // A package neither side can see is not shared: the plugin's import of it would fail.
        const seen = nearestPackage(dir, name);
        return seen !== undefined && seen === hostCopies.get(name);
      });
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

/** The file an `import` of `name` from the host resolves to, if it is installed. */
function esmEntry(name: string): string | undefined {
  try {
    return import.meta.resolve(name);
  } catch {
    return undefined;
  }
}
