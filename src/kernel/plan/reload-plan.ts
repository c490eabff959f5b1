import type { LoadedConfig } from '../config/index.js';
import { pluginSlice, type Planned } from './build-plan.js';
import { isRunnable } from './plugin-record.js';

export interface ReloadPlan {
  /** Active plugins to stop: their slice changed, or they require one that did. */
  readonly changed: readonly string[];
  /** Of those, the ones to start again under the new config. */
  readonly restart: readonly string[];
  /** `onStartup` and required plugins the new config makes runnable that are not running. */
  readonly startup: readonly string[];
}

/** What a reload from `old` to `next` must stop and start. Pure: reads plans and configs only. */
export function planReload(old: Planned, oldConfig: LoadedConfig, candidate: Planned, next: LoadedConfig, active: ReadonlySet<string>): ReloadPlan {
  const changed = [...active].filter((id) => pluginSlice(old, oldConfig, id) !== pluginSlice(candidate, next, id));
  // A dependent holds on to what it got from the old instance, so it restarts too.
  for (let i = 0; i < changed.length; i++) {
    for (const id of active) {
      if (!changed.includes(id) && old.plan.records.get(id)?.manifest?.requires?.[changed[i]!] !== undefined) changed.push(id);
    }
  }
  const restart = changed.filter((id) => {
    const record = candidate.plan.records.get(id);
    return record !== undefined && isRunnable(record);
  });
  const startup = [...candidate.plan.records.values()]
    .filter((r) => isRunnable(r) && !active.has(r.id) && (r.activationEvents.has('onStartup') || r.required))
    .map((r) => r.id);
  return { changed, restart, startup };
}
