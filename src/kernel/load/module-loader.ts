import { extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Jiti } from 'jiti';
import { sharedModules, type SharedModules } from './shared-modules.js';

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
    this.shared ??= sharedModules();
    if (!COMPILED.has(extname(entry)) && this.shared.resolvesToHostCopies(pluginDir)) {
      return import(pathToFileURL(entry).href);
    }
    const jiti = await this.compiler(this.shared);
    return jiti.import(entry);
  }

  /** How `entry` would be loaded (`plugins info` shows it). */
  strategy(entry: string, pluginDir: string): 'native' | 'compiled' {
    this.shared ??= sharedModules();
    return !COMPILED.has(extname(entry)) && this.shared.resolvesToHostCopies(pluginDir) ? 'native' : 'compiled';
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
