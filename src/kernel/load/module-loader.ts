import * as nodeModule from 'node:module';
import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import { hostPaths } from '../host/index.js';
import { toHostCopy, type ResolveResult } from './shared-module-hooks.js';
import { declaresInversify, SDK_ONLY, sharedModules, type SharedModules } from './shared-modules.js';

const COMPILED = new Set(['.ts', '.mts', '.cts']);

/**
 * Imports plugin entry modules. JavaScript whose imports already reach the host's copies of
 * the shared packages is imported natively (the fast path: npm-installed and in-repo plugins).
 * TypeScript, and JavaScript that would otherwise get a second inversify or SDK (or none, in a
 * folder without node_modules), goes through jiti with the shared packages aliased to the
 * host's copies and kept native, so there is exactly one of each.
 */
export class ModuleLoader {
  private shared: SharedModules | undefined;
  private jiti: Jiti | undefined;

  constructor(private readonly cacheDir: string | undefined) {}

  async import(entry: string, pluginDir: string): Promise<unknown> {
    const { strategy, hooks } = this.plan(entry, pluginDir);
    if (hooks) installSharedModuleHooks(this.sharedModules());
    if (strategy === 'native') return import(pathToFileURL(entry).href);
    const jiti = await this.compiler(this.sharedModules());
    return jiti.import(entry);
  }

  /** How `entry` would be loaded (`plugins info` shows it). */
  strategy(entry: string, pluginDir: string): 'native' | 'compiled' {
    return this.plan(entry, pluginDir).strategy;
  }

  /**
   * How to load `entry`, and whether it needs the hooks that map the installed inversify to the
   * host's bundled copy. A JavaScript plugin that declares none of inversify's packages imports
   * them only through the SDK (which is the host's own module), so it needs neither the hooks
   * nor inversify installed where it can see it. Compiled plugins always get the hooks: jiti
   * aliases the shared packages to their installed copies.
   */
  private plan(entry: string, pluginDir: string): { strategy: 'native' | 'compiled'; hooks: boolean } {
    if (COMPILED.has(extname(entry))) return { strategy: 'compiled', hooks: true };
    // A built-in plugin's JavaScript is part of the host's build, so it reaches the host's
    // copies by construction. Working out where the shared packages are installed took a few
    // milliseconds of every start, and `nexus serve` with built-in plugins alone needs none of it.
    if (entry.startsWith(hostPaths.builtinPlugins)) return { strategy: 'native', hooks: false };
    const sdkOnly = !declaresInversify(pluginDir);
    const native = this.sharedModules().resolvesToHostCopies(pluginDir, sdkOnly ? SDK_ONLY : undefined);
    return { strategy: native ? 'native' : 'compiled', hooks: !native || !sdkOnly };
  }

  private sharedModules(): SharedModules {
    return (this.shared ??= sharedModules());
  }

  private async compiler(shared: SharedModules): Promise<Jiti> {
    if (!this.jiti) {
      const { createJiti } = await import('jiti');
      this.jiti = createJiti(import.meta.url, {
        interopDefault: false,
        alias: { ...shared.aliases },
        nativeModules: [...shared.names],
        fsCache: this.cacheDir ? join(this.cacheDir, 'jiti') : false,
        moduleCache: true,
      });
    }
    return this.jiti;
  }
}

// Node's loader hooks belong to the process, not to one kernel: several kernels (tests, `chat
// --embedded`) must register them once between them.
// eslint-disable-next-line no-restricted-syntax
let hooksInstalled = false;

/** `module.registerHooks`, in Node 22.15 and later: resolution hooks that run in this thread. */
type RegisterHooks = (hooks: { resolve: (specifier: string, context: unknown, nextResolve: (specifier: string, context: unknown) => ResolveResult) => ResolveResult }) => unknown;

/**
 * Before the first plugin that is not part of the host loads: if the host is the bundled build,
 * registers the resolution hooks that hand plugins the host's bundled copies of the shared
 * packages (shared-module-hooks.ts). Once per process, and only then: `nexus serve` with
 * built-in plugins alone needs no hooks. Where Node offers in-thread hooks they are used: Node 20's
 * `module.register` runs hooks on a loader thread, whose V8 heap costs some 12 MB (21 on Node 24).
 */
function installSharedModuleHooks(shared: SharedModules): void {
  if (hooksInstalled || Object.keys(shared.bundleRedirects).length === 0) return;
  hooksInstalled = true;
  const registerHooks = (nodeModule as { registerHooks?: RegisterHooks }).registerHooks;
  if (registerHooks) {
    const redirects = new Map(Object.entries(shared.bundleRedirects));
    registerHooks({ resolve: (specifier, context, nextResolve) => toHostCopy(nextResolve(specifier, context), redirects) });
    return;
  }
  nodeModule.register(pathToFileURL(join(hostPaths.root, 'dist', 'kernel', 'load', 'shared-module-hooks.js')), { data: { redirects: shared.bundleRedirects } });
}
