/* eslint-disable @typescript-eslint/no-require-imports -- the literal require() calls are what the bundler follows (see below) */
import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import type * as Yaml from 'yaml';

/**
 * Libraries the hot CLI paths often do not need, loaded synchronously on first use through
 * Node's CommonJS cache (which also makes repeat calls free). `nexus plugins list` without a
 * config file, for instance, never loads the YAML parser.
 *
 * Each is a literal `require('…')` so that the bundler (scripts/build.mjs) sees it: in dist/ the
 * library is bundled and its code runs on the first call, which is cheaper than Node resolving
 * and reading its dozens of files. Run from the sources (tests), an ES module has no `require`
 * of its own, so one is made.
 */
// eslint-disable-next-line no-restricted-syntax -- a cache of Node's module system, which is per process anyway
let fromSources: NodeJS.Require | undefined;
const sourceRequire = (): NodeJS.Require => (fromSources ??= createRequire(import.meta.url));
const bundled = typeof require === 'function';

export function yamlModule(): typeof Yaml {
  return (bundled ? require('yaml') : sourceRequire()('yaml')) as typeof Yaml;
}

export interface PinoModule {
  (options: object, destination: unknown): unknown;
  destination(target: number | { readonly dest: number; readonly sync: boolean }): unknown;
}

export function pinoModule(): PinoModule {
  return (bundled ? require('pino') : sourceRequire()('pino')) as PinoModule;
}

/** ajv's JSON Schema 2020-12 class and ajv-formats (CommonJS: their default exports, unambiguously). */
export function ajvModules(): { readonly Ajv2020: new (options: object) => Ajv2020; readonly addFormats: (ajv: Ajv2020) => void } {
  const ajv = (bundled ? require('ajv/dist/2020.js') : sourceRequire()('ajv/dist/2020.js')) as { default: new (options: object) => Ajv2020 };
  const formats = (bundled ? require('ajv-formats') : sourceRequire()('ajv-formats')) as { default: (ajv: Ajv2020) => void };
  return { Ajv2020: ajv.default, addFormats: formats.default };
}
