import { joinPointer } from '../schema/index.js';
import { isRunnable, quarantine, type PluginRecord } from './plugin-record.js';
import { versionSatisfies } from './version-satisfies.js';

/**
 * Checks `requires` for every enabled plugin and quarantines what cannot run: a missing,
 * disabled, incompatible or broken dependency, or membership in a cycle. Quarantine spreads to
 * dependents until nothing changes.
 */
export function checkDependencies(records: ReadonlyMap<string, PluginRecord>): void {
  for (const cycle of findCycles(records)) {
    const path = [...cycle, cycle[0]].join(' → ');
    for (const id of cycle) {
      quarantine(records.get(id)!, {
        level: 'error',
        code: 'plugin.dependency-cycle',
        message: `plugins require each other in a cycle: ${path}`,
        pluginId: id,
        source: { file: records.get(id)!.manifestPath, pointer: '/requires' },
        hint: 'remove one of the requires entries so the dependencies form a tree',
      });
    }
  }

  let changed = true;
  while (changed) {
    changed = false;
    for (const record of records.values()) {
      if (!isRunnable(record) || !record.manifest) continue;
      for (const [depId, range] of Object.entries(record.manifest.requires ?? {})) {
        const problem = dependencyProblem(records.get(depId), depId, range);
        if (!problem) continue;
        quarantine(record, {
          level: 'error',
          code: 'plugin.dependency-unavailable',
          message: `requires ${depId}@${range}, but ${problem}`,
          pluginId: record.id,
          source: { file: record.manifestPath, pointer: joinPointer('requires', depId) },
          hint: `make ${depId} available and enabled, or disable ${record.id}`,
        });
        changed = true;
        break;
      }
    }
  }
}

function dependencyProblem(dep: PluginRecord | undefined, id: string, range: string): string | undefined {
  if (!dep) return `no plugin "${id}" was found`;
  if (!dep.enabled) return `${id} is disabled (${dep.enabledBy})`;
  if (dep.state === 'failed') return `${id} failed`;
  if (dep.state === 'quarantined') return `${id} is quarantined`;
  if (dep.manifest && !versionSatisfies(dep.manifest.version, range)) {
    return `${id} is version ${dep.manifest.version}`;
  }
  return undefined;
}

/** Elementary cycles among enabled plugins (Tarjan's strongly connected components). */
function findCycles(records: ReadonlyMap<string, PluginRecord>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;

  const edges = (id: string) =>
    Object.keys(records.get(id)?.manifest?.requires ?? {}).filter((dep) => records.get(dep)?.enabled === true);

  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    for (const dep of edges(id)) {
      if (!index.has(dep)) {
        visit(dep);
        low.set(id, Math.min(low.get(id)!, low.get(dep)!));
      } else if (onStack.has(dep)) {
        low.set(id, Math.min(low.get(id)!, index.get(dep)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      const selfLoop = component.length === 1 && edges(id).includes(id);
      if (component.length > 1 || selfLoop) cycles.push(component.reverse());
    }
  };

  for (const [id, record] of records) {
    // A plugin that requires nothing cannot be on a cycle, and is most of a large install.
    if (record.enabled && !index.has(id) && record.manifest?.requires) visit(id);
  }
  return cycles;
}
