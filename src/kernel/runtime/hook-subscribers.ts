import { isRunnable, recordsByName, type Plan, type PluginRecord } from '../plan/index.js';

const PREFIX = 'onHook:';

/**
 * Which plugins declared each `onHook:<name>` activation event, indexed by hook name once per
 * plan: every turn emits several hooks, and scanning every plugin record on each emit showed in
 * profiles.
 */
export class HookSubscriberIndex {
  private index: { readonly plan: Plan; readonly byHook: ReadonlyMap<string, readonly PluginRecord[]> } | undefined;

  /** The subscribers of `hook` that can run but are not active yet; undefined when there are none (every turn's hooks, once warm). */
  inactive(plan: Plan, hook: string): PluginRecord[] | undefined {
    if (this.index?.plan !== plan) this.index = { plan, byHook: recordsByName(plan.records.values(), hooksDeclared) };
    let pending: PluginRecord[] | undefined;
    for (const record of this.index.byHook.get(hook) ?? []) {
      if (isRunnable(record) && record.state !== 'active') (pending ??= []).push(record);
    }
    return pending;
  }
}

function* hooksDeclared(record: PluginRecord): Iterable<string> {
  for (const event of record.activationEvents) if (event.startsWith(PREFIX)) yield event.slice(PREFIX.length);
}
