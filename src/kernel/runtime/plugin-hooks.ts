import type { Container } from '@nexus/plugin-sdk/shared/inversify';
import { HOOKS, HookHandlers, MODIFYING_HOOK_DEADLINES_MS, type Diagnostic, type HookSubscriber } from '@nexus/plugin-sdk';
import type { PluginManifest } from '../manifest/index.js';
import type { PluginRecord } from '../plan/index.js';
import { undeclaredHooks } from './contribution-check.js';
import type { HookFailure, KernelHookBus } from './hook-bus.js';

type HandlerObject = { handle(value: unknown): unknown };

/**
 * Subscribes each `HookHandlers` class the plugin contributed. The class is resolved from the
 * plugin's container when the hook first reaches it (so it can inject whatever the plugin
 * binds, and costs nothing until then), ordered by the `priority` its manifest entry gives.
 */
export function subscribeHandlerClasses(pluginId: string, manifest: PluginManifest, names: readonly string[], container: Container, hooks: KernelHookBus): void {
  const priorities = new Map((manifest.contributes?.hooks ?? []).map((h) => [h.name, h.priority ?? 0]));
  for (const name of names) {
    let instance: HandlerObject | undefined;
    const handler = (value: unknown): unknown => {
      instance ??= resolveHandler(container, name);
      return instance.handle(value);
    };
    hooks.subscribe(pluginId, name, handler as never, priorities.get(name), (HOOKS as Record<string, 'observe' | 'modify'>)[name]);
  }
}

function resolveHandler(container: Container, name: string): HandlerObject {
  const resolved = container.get(HookHandlers, { name }) as Partial<HandlerObject> | undefined;
  if (typeof resolved?.handle !== 'function') {
    throw new Error(`the HookHandlers contribution "${name}" resolved to ${resolved === null ? 'null' : typeof resolved} without a handle(value) method; bind a class that has one`);
  }
  return resolved as HandlerObject;
}

/**
 * `ctx.onHook` / `ctx.onModify` for `activate`: handlers that close over what the plugin
 * resolved. The kernel drops them when the plugin stops; the returned function drops one sooner.
 */
export function activationHookSubscriber(pluginId: string, manifestPath: string, manifest: PluginManifest, hooks: KernelHookBus): HookSubscriber {
  return {
    onHook: (name, handler, options) => hooks.subscribe(pluginId, name, handler as never, options?.priority, 'observe'),
    onModify: (name, handler, options) => {
      const [problem] = undeclaredHooks(pluginId, manifestPath, manifest, { hooks: [name], hookHandlers: [] });
      if (problem) throw new Error(`plugin ${pluginId} subscribes to the modifying hook "${name}" in activate(), but ${manifestPath} does not declare it; ${problem.hint}`);
      return hooks.subscribe(pluginId, name, handler as never, options?.priority, 'modify');
    },
  };
}

/**
 * Notes a skipped hook handler on its plugin's record, where `plugins info` and `doctor` read it:
 * the latest failure per hook, so a handler failing on every call cannot grow the list.
 */
export function noteHookFailure(record: Pick<PluginRecord, 'diagnostics'> | undefined, failure: HookFailure): void {
  if (!record) return;
  const diagnostic: Diagnostic = {
    level: 'warning',
    code: 'hook.handler-failed',
    pluginId: failure.pluginId,
    message: `hook ${failure.hook}: the handler failed and was skipped: ${failure.message}`,
    hint: failure.message.includes('did not finish within')
      ? `make the ${failure.hook} handler answer within its deadline (${deadlineOf(failure.hook)})`
      : `fix the plugin's ${failure.hook} handler; until then the hook runs without it`,
  };
  const index = record.diagnostics.findIndex((d) => d.code === diagnostic.code && d.message.startsWith(`hook ${failure.hook}:`));
  if (index === -1) record.diagnostics.push(diagnostic);
  else record.diagnostics[index] = diagnostic;
}

function deadlineOf(hook: string): string {
  const ms = (MODIFYING_HOOK_DEADLINES_MS as Record<string, number | undefined>)[hook];
  return ms === undefined ? 'the hook deadline, 10 s by default' : `${ms / 1000} s`;
}
