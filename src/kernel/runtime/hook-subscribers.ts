import type { Plan, PluginRecord } from '../plan/index.js';

/**
 * Which plugins declared each `onHook:<name>` activation event, indexed by hook name once per
 * plan: every turn emits several hooks, and scanning every plugin record on each emit showed in
 * profiles.
 */
export class HookSubscriberIndex {
  private index: { readonly plan: Plan; readonly byHook: ReadonlyMap<string, readonly PluginRecord[]> } | undefined;

  subscribers(plan: Plan, hook: string): readonly PluginRecord[] {
    if (this.index?.plan !== plan) this.index = { plan, byHook: indexHookEvents(plan) };
    return this.index.byHook.get(hook) ?? NONE;
  }
}

const NONE: readonly PluginRecord[] = Object.freeze([]);
const PREFIX = 'onHook:';

function indexHookEvents(plan: Plan): Map<string, PluginRecord[]> {
  const byHook = new Map<string, PluginRecord[]>();
  for (const record of plan.records.values()) {
    for (const event of record.activationEvents) {
      if (!event.startsWith(PREFIX)) continue;
      const hook = event.slice(PREFIX.length);
      const list = byHook.get(hook) ?? [];
      list.push(record);
      byHook.set(hook, list);
    }
  }
  return byHook;
}
