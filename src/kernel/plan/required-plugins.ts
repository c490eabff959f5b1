import type { Diagnostic } from '@nexus/plugin-sdk';
import type { PluginsConfig } from '../config/index.js';
import type { HostRequirements } from '../kernel-options.js';
import type { Plan } from './plan.js';
import { isRunnable, type PluginRecord } from './plugin-record.js';

/**
 * Why each plugin the operator marked `required`, or the host needs, cannot run: missing,
 * disabled, failed or quarantined, or (for a host slot) nothing fills the slot. Empty when all of
 * them can. Startup fails on any of these, and a reload is rejected or undone.
 */
export function requiredPluginProblems(plan: Plan, plugins: PluginsConfig | undefined, host?: HostRequirements): Diagnostic[] {
  const problems: Diagnostic[] = [];
  for (const [id, entry] of Object.entries(plugins?.entries ?? {})) {
    if (entry.required !== true || plan.records.has(id)) continue;
    problems.push({
      level: 'error',
      code: 'plugin.required-missing',
      message: `required plugin ${id}: no plugin with this id was found`,
      pluginId: id,
      hint: 'install it or add its folder to plugins.load.paths, or drop required: true',
    });
  }
  for (const id of host?.plugins ?? []) {
    if (plan.records.has(id)) continue;
    problems.push({
      level: 'error',
      code: 'plugin.required-missing',
      message: `${host!.host} cannot run without the ${id} plugin, and it was not found`,
      pluginId: id,
      hint: 'the built-in plugins are missing from this installation; reinstall Nexus',
    });
  }
  for (const slot of host?.slots ?? []) {
    if (plan.slotOccupants.has(slot)) continue;
    problems.push({
      level: 'error',
      code: 'plugin.required-missing',
      message: `${host!.host} cannot run without a plugin in the ${slot} slot, and no enabled plugin fills it`,
      hint: `enable a plugin that claims the ${slot} slot, or name one with plugins.slots.${slot}`,
    });
  }
  for (const record of plan.records.values()) {
    if (!record.required || isRunnable(record)) continue;
    const errors = record.diagnostics.filter((d) => d.level === 'error');
    const reasons: Diagnostic[] =
      errors.length > 0 ? errors : [{ level: 'error', code: 'plugin.required-disabled', message: `is ${record.state} (${record.enabledBy})`, pluginId: record.id }];
    problems.push(...reasons.map((d) => ({ ...d, message: `${requiredPrefix(record)}: ${d.message}` })));
  }
  return problems;
}

function requiredPrefix(record: PluginRecord): string {
  return record.requiredBy ? `${record.requiredBy} cannot run without ${record.id}` : `required plugin ${record.id}`;
}
