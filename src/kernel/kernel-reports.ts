import type { Diagnostic } from '@nexus/plugin-sdk';
import type { PluginRecord } from './plan/index.js';

export interface ReloadReport {
  /** False when the new config was rejected; the old one stays in force. */
  readonly applied: boolean;
  readonly restarted: readonly string[];
  readonly stopped: readonly string[];
  readonly started: readonly string[];
  /** Why it was rejected, or the new config's remaining problems. */
  readonly diagnostics: readonly Diagnostic[];
}

/** Only errors in the kernel-owned config stop startup (or a reload); anything else is one plugin's problem. */
export function isFatal(diagnostic: Diagnostic): boolean {
  return diagnostic.level === 'error' && diagnostic.code.startsWith('config.');
}

export interface StartReport {
  readonly active: readonly string[];
  readonly failed: readonly string[];
  readonly durationMs: number;
}

/** Startup cannot go on: a kernel-owned config section is invalid, or a required plugin failed. */
export class KernelStartError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(`Nexus cannot start:\n${diagnostics.map((d) => `  - ${d.pluginId ? `[${d.pluginId}] ` : ''}${d.message}`).join('\n')}`);
    this.name = 'KernelStartError';
  }
}

/** Why a plugin is quarantined when a plugin it requires is unavailable, naming the root cause. */
export function dependencyFailed(pluginId: string, dependencyId: string, dependency: PluginRecord | undefined): Diagnostic {
  const cause = dependency?.diagnostics.find((d) => d.level === 'error');
  return {
    level: 'error',
    code: 'plugin.dependency-failed',
    message: `required plugin ${dependencyId} is unavailable${cause ? ` (${cause.code}: ${cause.message})` : ''}`,
    pluginId,
    hint: `fix ${dependencyId}; ${pluginId} can start once it does`,
  };
}
