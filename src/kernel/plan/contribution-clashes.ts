import type { Diagnostic } from '../../contracts/index.js';
import type { ManifestContributions } from '../manifest/index.js';
import { isRunnable, type PluginRecord } from './plugin-record.js';

const NAMED_KINDS = ['tools', 'providers', 'channels', 'commands', 'doctorChecks', 'promptSections', 'migrations'] as const;

/**
 * Two runnable plugins declaring the same contribution name. Lookups take the first in
 * discovery precedence; the other is reported here instead of being silently shadowed.
 */
export function contributionClashes(records: ReadonlyMap<string, PluginRecord>): void {
  const owners = new Map<string, PluginRecord>();
  for (const record of records.values()) {
    if (!isRunnable(record) || !record.manifest) continue;
    for (const [kind, name, pointer] of declared(record.manifest.contributes ?? {})) {
      const key = `${kind}\0${name}`;
      const first = owners.get(key);
      if (!first) {
        owners.set(key, record);
        continue;
      }
      const diagnostic: Diagnostic = {
        level: 'warning',
        code: 'contribution.duplicate',
        message: `${kind} "${name}" is contributed by both ${first.id} (used) and ${record.id} (ignored)`,
        pluginId: record.id,
        source: { file: record.manifestPath, pointer },
        hint: `rename one of them, or disable the plugin you do not want (plugins.entries.<id>.enabled: false)`,
      };
      record.diagnostics.push(diagnostic);
    }
  }
}

function* declared(c: ManifestContributions): Generator<[string, string, string]> {
  for (const kind of NAMED_KINDS) {
    for (const [index, item] of (c[kind] ?? []).entries()) yield [kind, item.name, `/contributes/${kind}/${index}`];
  }
  for (const [index, route] of (c.httpRoutes ?? []).entries()) yield ['httpRoutes', route.prefix, `/contributes/httpRoutes/${index}`];
}
