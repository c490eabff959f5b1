import type { Diagnostic } from '@nexus/plugin-sdk';
import type { PluginOrigin } from '../discovery/index.js';
import type { PluginManifest } from '../manifest/index.js';

/**
 * - `discovered`: enabled, code not loaded (no activation event has fired yet);
 * - `disabled`: config or a slot decision turned it off;
 * - `active`: code loaded and activated;
 * - `failed`: the plugin itself is broken (bad manifest, incompatible, import/register/activate failed);
 * - `quarantined`: sound, but cannot run here (invalid config, a dependency failed, a cycle, a slot conflict).
 */
export type PluginState = 'discovered' | 'disabled' | 'active' | 'failed' | 'quarantined';

export interface PluginRecord {
  readonly id: string;
  /** Undefined only when the manifest could not be read or validated. */
  readonly manifest: PluginManifest | undefined;
  readonly origin: PluginOrigin;
  readonly manifestPath: string;
  readonly dir: string;
  enabled: boolean;
  /** Which rule decided `enabled`, for `plugins info`. */
  enabledBy: string;
  required: boolean;
  /** Who requires it when the host does (`nexus serve`), rather than the config's `required`. */
  requiredBy?: string;
  state: PluginState;
  readonly diagnostics: Diagnostic[];
  /** The validated config slice (defaults applied), once validated. */
  config: unknown;
  configChecked: boolean;
  /** Explicit activation events plus those implied by contributions. */
  readonly activationEvents: ReadonlySet<string>;
}

/** The shape `plugins list --json` prints. */
export interface PluginSummary {
  readonly id: string;
  readonly version: string | null;
  readonly origin: PluginOrigin;
  readonly path: string;
  readonly enabled: boolean;
  readonly state: PluginState;
  readonly diagnostics: readonly Diagnostic[];
}

export function summarize(record: PluginRecord): PluginSummary {
  return {
    id: record.id,
    version: record.manifest?.version ?? null,
    origin: record.origin,
    path: record.manifestPath,
    enabled: record.enabled,
    state: record.state,
    diagnostics: [...record.diagnostics],
  };
}

/**
 * Marks a sound plugin as unable to run here, recording why once (the same reason can be found
 * by several checks). A failed plugin stays failed. Returns false if nothing changed.
 */
export function quarantine(record: PluginRecord, diagnostic: Diagnostic): boolean {
  const known = record.diagnostics.some((d) => d.code === diagnostic.code && d.message === diagnostic.message);
  if (known && record.state === 'quarantined') return false;
  if (!known) record.diagnostics.push(diagnostic);
  if (record.state !== 'failed') record.state = 'quarantined';
  return true;
}

/** A plugin that can still be activated: enabled and neither failed nor quarantined. */
export function isRunnable(record: PluginRecord): boolean {
  return record.enabled && (record.state === 'discovered' || record.state === 'active');
}
