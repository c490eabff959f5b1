import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { hostPaths } from '../host/index.js';

/**
 * Packages a plugin must share with the host: two copies of inversify would split the
 * container's metadata, and two SDK copies would split contract identities. The SDK package
 * (`@nexus/plugin-sdk`, which the host depends on) carries the one copy of each: its own modules,
 * and bundled copies of inversify, its parts and reflect-metadata under `@nexus/plugin-sdk/shared/*`.
 * A plugin resolves them to the copies installed beside the host; the loader hands it the SDK's
 * bundled copies in place of installed inversify packages (`bundleRedirects`).
 */
const INVERSIFY_PACKAGES = ['inversify', '@inversifyjs/common', '@inversifyjs/core', '@inversifyjs/container', 'reflect-metadata'];
const SDK = '@nexus/plugin-sdk';
const SHARED_PACKAGES = [...INVERSIFY_PACKAGES, SDK];

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
  /** Each installed inversify package's entry URL → the SDK's bundled copy, for the resolution hooks. */
  readonly bundleRedirects: Readonly<Record<string, string>>;
}

/** The SDK's bundled copy of each inversify package (`@nexus/plugin-sdk/shared/<name>`). */
const SDK_COPIES: Readonly<Record<string, string>> = {
  inversify: 'inversify',
  '@inversifyjs/common': 'inversifyjs-common',
  '@inversifyjs/core': 'inversifyjs-core',
  '@inversifyjs/container': 'inversifyjs-container',
  'reflect-metadata': 'reflect-metadata',
};

export function sharedModules(): SharedModules {
  const require = createRequire(hostPaths.packageJson);
  const aliases: Record<string, string> = {};
  // Every entry point of the SDK, as its package.json lists them, resolved from the host.
  const sdkPackage = require.resolve(`${SDK}/package.json`);
  const sdkExports = (JSON.parse(readFileSync(sdkPackage, 'utf8')) as { exports: Record<string, unknown> }).exports;
  for (const subpath of Object.keys(sdkExports)) {
    if (subpath.includes('*') || subpath.endsWith('.json')) continue;
    const name = subpath === '.' ? SDK : `${SDK}/${subpath.slice(2)}`;
    aliases[name] = require.resolve(name);
  }
  const bundleRedirects: Record<string, string> = {};
  for (const [name, copy] of Object.entries(SDK_COPIES)) {
    const sdkCopy = require.resolve(`${SDK}/shared/${copy}`);
    // A compiled plugin's import of the package goes straight to the SDK's copy.
    aliases[name] = sdkCopy;
    // A natively imported one resolves to the installed package: `import` and `require` may pick
    // different files of it, and both lead to the SDK's copy.
    const sdkCopyUrl = pathToFileURL(sdkCopy).href;
    for (const installed of [installedEntry(require, name), esmEntry(name)]) {
      if (installed) bundleRedirects[installed] = sdkCopyUrl;
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

function installedEntry(require: NodeJS.Require, name: string): string | undefined {
  try {
    return pathToFileURL(require.resolve(name)).href;
  } catch {
    return undefined;
  }
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
