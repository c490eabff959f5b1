import { createToken } from './tokens.js';

/**
 * Read access to the effective configuration. Each top-level section has exactly one owner
 * (the kernel or one plugin); everyone else reads it here.
 */
export interface ConfigAccess {
  /** The file the configuration came from, if any. */
  readonly path: string | undefined;
  /**
   * The host's home folder (`$NEXUS_HOME`, by default `~/.nexus`). Plugins keep their state
   * under `<home>/data`; tests get a temporary one.
   */
  readonly home: string;
  /**
   * A top-level section (`server`, `llm`, …) with its owner's schema defaults applied, also when
   * the file leaves it out; `undefined` when no schema can fill it in (no owner, required keys).
   */
  section<T = unknown>(name: string): T | undefined;
}

export const ConfigToken = createToken<ConfigAccess>('nexus.config');

/**
 * The plugin's own `plugins.entries.<id>.config`, validated against its manifest `configSchema`
 * with defaults applied. Bound in each plugin's container.
 */
export const PluginConfigToken = createToken<unknown>('nexus.plugin.config');
