import type { Plan, PluginRecord } from '../plan/index.js';

/**
 * Which plugins declared each `onHook:<name>` activation event, indexed once per plan: every
 * turn emits several hooks, and scanning every plugin record on each emit showed in profiles.
 */
export class HookSubscriberIndex {
  private index: { readonly plan: Plan; readonly byEvent: ReadonlyMap<string, readonly PluginRecord[]> } | undefined;

  subscribers(plan: Plan, event: string): readonly PluginRecord[] {
    if (this.index?.plan !== plan) this.index = { plan, byEvent: indexHookEvents(plan) };
    return this.index.byEvent.get(event) ?? [];
  }
}

function indexHookEvents(plan: Plan): Map<string, PluginRecord[]> {
  const byEvent = new Map<string, PluginRecord[]>();
  for (const record of plan.records.values()) {
    for (const event of record.activationEvents) {
      if (!event.startsWith('onHook:')) continue;
      const list = byEvent.get(event) ?? [];
      list.push(record);
      byEvent.set(event, list);
    }
  }
  return byEvent;
}
