import type { Diagnostic } from './diagnostics.js';
import { createToken } from './tokens.js';

/** One plugin as the kernel sees it right now. */
export interface LivePluginState {
  readonly id: string;
  readonly version: string | null;
  /** Where it was found: `builtin`, `user`, `project`, … */
  readonly origin: string;
  readonly enabled: boolean;
  /** `discovered` (not loaded yet), `active`, `disabled`, `failed` or `quarantined`. */
  readonly state: 'discovered' | 'disabled' | 'active' | 'failed' | 'quarantined';
  /** Why it failed or is quarantined, and any warnings about it. */
  readonly diagnostics: readonly Diagnostic[];
  /** The channel ids its manifest declares (`contributes.channels`), for `nexus channels list`. */
  readonly channels: readonly string[];
}

/**
 * Read-only facts about the host, provided by the kernel: its version, when it started, and the
 * live state of every plugin (quarantined ones with their reasons). The gateway's admin status
 * route (`nexus status`) and `nexus channels list` read it; nothing can change state through it.
 */
export interface HostStatus {
  readonly version: string;
  readonly pid: number;
  /** When this kernel was created (ms since the epoch). */
  readonly startedAt: number;
  plugins(): readonly LivePluginState[];
}

export const HostStatusToken = createToken<HostStatus>('nexus.host-status');
