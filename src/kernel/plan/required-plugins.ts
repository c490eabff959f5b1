import type { Diagnostic } from '@nexus/plugin-sdk';
import type { PluginsConfig } from '../config/index.js';
import type { Plan } from './plan.js';
import { isRunnable } from './plugin-record.js';

/**
 * Why each plugin the operator marked `required` cannot run: missing, disabled, failed or
 * quarantined. Empty when all of them can. Startup fails on any of these.
 */
export function requiredPluginProblems(plan: Plan, plugins: PluginsConfig | undefined): Diagnostic[] {
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
  for (const record of plan.records.values()) {
    if (!record.required || isRunnable(record)) continue;
    const errors = record.diagnostics.filter((d) => d.level === 'error');
    const reasons: Diagnostic[] =
      errors.length > 0 ? errors : [{ level: 'error', code: 'plugin.required-disabled', message: `is ${record.state} (${record.enabledBy})`, pluginId: record.id }];
    problems.push(...reasons.map((d) => ({ ...d, message: `required plugin ${record.id}: ${d.message}` })));
  }
  return problems;
}
