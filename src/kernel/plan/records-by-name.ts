import type { PluginRecord } from './plugin-record.js';

/**
 * The plugins that declare each name, in discovery order (which is precedence). The registries
 * that look names up on every turn (services, contributions, hook subscribers) build this once
 * per plan and ask only whether each declarer can run at the time.
 */
export function recordsByName(records: Iterable<PluginRecord>, names: (record: PluginRecord) => Iterable<string>): Map<string, PluginRecord[]> {
  const byName = new Map<string, PluginRecord[]>();
  for (const record of records) {
    for (const name of names(record)) {
      const list = byName.get(name);
      if (list) list.push(record);
      else byName.set(name, [record]);
    }
  }
  return byName;
}
