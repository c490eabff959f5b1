import type { Diagnostic } from '@nexus/plugin-sdk';

/** A failure attributable to one plugin, carrying what the diagnostic needs. */
export class PluginError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string | undefined,
    override readonly cause?: unknown,
    readonly details: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = 'PluginError';
  }
}

/** Asking for a plugin (or something it provides) that cannot run; says why. */
export class PluginUnavailableError extends Error {
  constructor(
    readonly pluginId: string,
    readonly diagnostics: readonly Diagnostic[],
    reason: string,
  ) {
    super(`plugin ${pluginId} is unavailable: ${reason}`);
    this.name = 'PluginUnavailableError';
  }
}
