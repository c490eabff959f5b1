import { isRunnable, type PluginRecord } from './plugin-record.js';

const NAMED_KINDS = ['tools', 'toolSources', 'providers', 'channels', 'commands', 'doctorChecks', 'promptSections', 'migrations'] as const;

/**
 * Two runnable plugins declaring the same contribution name. Lookups take the first in
 * discovery precedence; the other is reported here instead of being silently shadowed.
 */
export function contributionClashes(records: ReadonlyMap<string, PluginRecord>): void {
  const owners = new Map<string, PluginRecord>();
  // Plain loops, and a pointer only for a clash: this runs over every contribution of every
  // installed plugin on each start, nearly always finding nothing.
  const claim = (record: PluginRecord, kind: string, name: string, index: number) => {
    const key = `${kind}\0${name}`;
    const first = owners.get(key);
    if (!first) {
      owners.set(key, record);
      return;
    }
    record.diagnostics.push({
      level: 'warning',
      code: 'contribution.duplicate',
      message: `${kind} "${name}" is contributed by both ${first.id} (used) and ${record.id} (ignored)`,
      pluginId: record.id,
      source: { file: record.manifestPath, pointer: `/contributes/${kind}/${index}` },
      hint: `rename one of them, or disable the plugin you do not want (plugins.entries.<id>.enabled: false)`,
    });
  };
  for (const record of records.values()) {
    const contributes = record.manifest?.contributes;
    if (!contributes || !isRunnable(record)) continue;
    for (const kind of NAMED_KINDS) {
      const items = contributes[kind];
      if (items) for (let i = 0; i < items.length; i++) claim(record, kind, items[i]!.name, i);
    }
    const routes = contributes.httpRoutes;
    if (routes) for (let i = 0; i < routes.length; i++) claim(record, 'httpRoutes', routes[i]!.prefix, i);
  }
}
