import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { definePlugin, isPluginDefinition, type PluginDefinition } from '@nexus/plugin-sdk';
import type { PluginRecord } from '../plan/index.js';
import { withDeadline } from '../runtime/deadline.js';
import { PluginError } from '../runtime/plugin-error.js';
import type { ModuleLoader } from './module-loader.js';

/** Imports a plugin's entry module and returns its `definePlugin` default export. */
export async function importPluginDefinition(record: PluginRecord, loader: ModuleLoader, deadlineMs: number): Promise<PluginDefinition> {
  // A declarative plugin has no code: activating it binds nothing.
  if (!record.manifest?.main) return DECLARATIVE;
  const entry = sourceFallback(resolve(record.dir, record.manifest.main));
  if (!statSync(entry, { throwIfNoEntry: false })?.isFile()) {
    throw new PluginError('plugin.entry-missing', `entry module not found: ${entry}`, `build the plugin, or fix "main" in ${record.manifestPath}`);
  }
  // TypeScript compiled on first load (a source checkout, a plugin shipped as .ts) takes several
  // times longer than importing JavaScript, more so on a busy machine; jiti caches the result, so
  // only a first start pays it. A hang still ends, just later.
  if (loader.strategy(entry, record.dir) === 'compiled') deadlineMs *= COMPILE_ALLOWANCE;
  let module: unknown;
  try {
    module = await withDeadline(loader.import(entry, record.dir), deadlineMs, `importing ${entry}`);
  } catch (error) {
    const timedOut = (error as Error).name === 'DeadlineError';
    throw new PluginError(
      timedOut ? 'plugin.import-timeout' : 'plugin.import-failed',
      timedOut ? `importing ${entry} took longer than ${deadlineMs} ms` : `importing ${entry} failed: ${(error as Error).message}`,
      timedOut ? 'move slow work out of module top level into activate()' : 'fix the error in the entry module (see the message)',
      error,
    );
  }
  const definition = definitionIn(module);
  if (!definition) {
    throw new PluginError(
      'plugin.bad-export',
      `${entry} does not default-export a plugin definition`,
      "end the entry with `export default definePlugin({ register(ctx) { … } })` from '@nexus/plugin-sdk'",
    );
  }
  return definition;
}

const DECLARATIVE = definePlugin({});

/** How many times the import deadline a compiled (TypeScript) entry gets. */
const COMPILE_ALLOWANCE = 4;

/**
 * A `.js` entry that is not built yet but whose `.ts` source sits beside it (a plugin run from
 * its sources, as built-ins are in the host's own tests) loads from the source.
 */
function sourceFallback(entry: string): string {
  if (existsSync(entry) || !/\.m?js$/.test(entry)) return entry;
  const source = entry.replace(/(\.m?)js$/, '$1ts');
  return existsSync(source) ? source : entry;
}

/**
 * The definition, whichever way the module system wrapped it: an ES module's default export,
 * or a CommonJS `module.exports = definePlugin(…)` / `exports.default = …`, which native import
 * and the compiling loader nest differently.
 */
function definitionIn(module: unknown): PluginDefinition | undefined {
  const outer = (module as { default?: unknown } | undefined)?.default;
  const inner = (outer as { default?: unknown } | undefined)?.default;
  return [outer, inner, module].find(isPluginDefinition);
}
