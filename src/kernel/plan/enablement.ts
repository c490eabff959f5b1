import type { PluginsConfig } from '../config/index.js';
import type { PluginOrigin } from '../discovery/index.js';
import type { PluginManifest } from '../manifest/index.js';
import { conditionHolds, describeCondition } from './config-condition.js';

export interface EnablementDecision {
  readonly enabled: boolean;
  /** The rule that decided, in the operator's terms. */
  readonly by: string;
}

/**
 * First match wins: the global switch, deny, allow, the plugin's entry, then defaults (where a
 * plugin that is off by default may be auto-enabled by its config being present). Enabled
 * means "may load when an activation event fires", not "loaded".
 */
export function decideEnablement(
  id: string,
  origin: PluginOrigin,
  manifest: PluginManifest | undefined,
  config: PluginsConfig,
  settings: unknown,
): EnablementDecision {
  if (!config.enabled) return { enabled: false, by: 'plugins.enabled is false' };
  if (config.deny.includes(id)) return { enabled: false, by: 'listed in plugins.deny' };
  if (config.allow !== undefined) {
    return config.allow.includes(id) ? { enabled: true, by: 'listed in plugins.allow' } : { enabled: false, by: 'not listed in plugins.allow' };
  }
  const entry = config.entries[id]?.enabled;
  if (entry !== undefined) return { enabled: entry, by: `plugins.entries.${id}.enabled is ${String(entry)}` };
  const byDefault = manifest?.enabledByDefault ?? true;
  // Auto-enable is decided afresh on every run from the config; it is never written back.
  const trigger = byDefault ? undefined : manifest?.autoEnable?.find((c) => conditionHolds(c, settings));
  if (trigger) return { enabled: true, by: `auto-enabled: config ${describeCondition(trigger)}` };
  return { enabled: byDefault, by: `${origin === 'builtin' ? 'built-in' : origin} default (${byDefault ? 'enabled' : 'disabled'})` };
}
