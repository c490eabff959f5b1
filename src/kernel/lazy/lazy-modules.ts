import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * Libraries the hot CLI paths often do not need, loaded synchronously on first use through
 * Node's CommonJS cache (which also makes repeat calls free). `nexus plugins list` without a
 * config file, for instance, never loads the YAML parser.
 */
const require = createRequire(import.meta.url);

export function yamlModule(): typeof Yaml {
  return require('yaml') as typeof Yaml;
}
