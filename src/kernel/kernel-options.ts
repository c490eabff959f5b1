import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Logger } from '@nexus/plugin-sdk';
import type { LoadedConfig } from './config/index.js';

export interface KernelTimeouts {
  /** Importing a plugin's entry module. */
  readonly importMs: number;
  /** A plugin's `activate()`. */
  readonly activateMs: number;
  /** A plugin's `deactivate()`, task drain and unload, each. */
  readonly deactivateMs: number;
  /** The whole of `stop()`. */
  readonly stopMs: number;
  /** One hook handler. */
  readonly hookMs: number;
}

export interface KernelOptions {
  /** The parsed config file; defaults apply without one. */
  readonly config?: LoadedConfig;
  /** `$NEXUS_HOME`; defaults to the env var, then `~/.nexus`. Holds the discovery index and caches. */
  readonly home?: string;
  /** The workspace (`<workspace>/.nexus/plugins`, `<workspace>/node_modules`); defaults to cwd. */
  readonly workspaceDir?: string;
  readonly hostVersion?: string;
  /** Folders whose sub-folders are built-in plugins; defaults to the host's own. */
  readonly builtinDirs?: readonly string[];
  /** `node_modules` folders searched for installed plugin packages. */
  readonly packageDirs?: readonly string[];
  readonly logger?: Logger;
  readonly clock?: Clock;
  /**
   * Extra bindings in the root container: an integrator's own implementation of a contract, or a
   * test's fakes. A plugin providing the same token still wins when asked through `services`.
   */
  readonly services?: readonly (readonly [symbol, unknown])[];
  readonly timeouts?: Partial<KernelTimeouts>;
  /** Keep a discovery index under `home` (default true). */
  readonly discoveryIndex?: boolean;
  /**
   * Where compiled TypeScript plugin modules are cached; default `<home>/cache` (none when the
   * discovery index is off). Entries are keyed by source content, so sharing a folder is safe.
   */
  readonly moduleCacheDir?: string;
  /** Validate every plugin's config slice while planning, not just those in use (doctor does). */
  readonly checkAllConfig?: boolean;
  /**
   * What the host cannot run without, on top of what the config marks `required`: `nexus serve`
   * passes the gateway, the HTTP server and the storage slot's occupant.
   */
  readonly hostRequires?: HostRequirements;
  /**
   * The caller reports plugin failures itself: a one-shot command (`nexus migrate`, `nexus auth`)
   * prints the error of the service it could not get, so the kernel's own error line would say
   * the same thing twice. The failure is still recorded and logged at debug.
   */
  readonly callerReportsFailures?: boolean;
}

/**
 * Plugins (and slots, by whichever plugin fills them) treated as if each were marked `required`:
 * `start()` activates them and fails, listing why, if any cannot start; a reload that would leave
 * one unable to run is rejected, and one after which one fails to start again is undone.
 */
export interface HostRequirements {
  /** Who needs them, for messages: `nexus serve`. */
  readonly host: string;
  readonly plugins?: readonly string[];
  readonly slots?: readonly string[];
}

export const DEFAULT_TIMEOUTS: KernelTimeouts = {
  importMs: 15_000,
  activateMs: 15_000,
  deactivateMs: 5_000,
  stopMs: 20_000,
  hookMs: 10_000,
};

export function defaultHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEXUS_HOME && env.NEXUS_HOME !== '' ? env.NEXUS_HOME : join(homedir(), '.nexus');
}
