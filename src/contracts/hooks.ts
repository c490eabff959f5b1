import type { Diagnostic } from './diagnostics.js';
import { createToken } from './tokens.js';

/**
 * Every hook Nexus fires, with its payload. Observing hooks run their handlers in parallel and
 * ignore return values; modifying hooks run in priority order, each handler receiving the value
 * the previous one returned. A test checks that every name here has a call site: declare only
 * what is fired.
 */
export interface ObservingHooks {
  /** Startup finished: every `onStartup` plugin is active, failed or quarantined. */
  'kernel.ready': { readonly activePlugins: readonly string[]; readonly durationMs: number };
  /** Shutdown began; plugins are still active. */
  'kernel.stopping': { readonly reason: string };
  /** A plugin's code loaded and its `activate` resolved. */
  'plugin.activated': { readonly pluginId: string; readonly event: string; readonly durationMs: number };
  /** A plugin failed to load or activate, or was quarantined at run time (a dependency failed). */
  'plugin.failed': { readonly pluginId: string; readonly diagnostic: Diagnostic };
}

/** Modifying hooks: `(value) => value`. None fire yet; later contracts add them here. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ModifyingHooks {}

export type ObservingHookName = keyof ObservingHooks;
export type ModifyingHookName = keyof ModifyingHooks;
export type HookName = ObservingHookName | ModifyingHookName;

/** The runtime list of declared hooks and their mode, kept in step with the interfaces above. */
export const HOOKS = {
  'kernel.ready': 'observe',
  'kernel.stopping': 'observe',
  'plugin.activated': 'observe',
  'plugin.failed': 'observe',
} as const satisfies Record<ObservingHookName, 'observe'> & Record<ModifyingHookName, 'modify'>;

export type ObservingHandler<N extends ObservingHookName> = (payload: ObservingHooks[N]) => void | Promise<void>;
export type ModifyingHandler<N extends ModifyingHookName> = (
  value: ModifyingHooks[N],
) => ModifyingHooks[N] | Promise<ModifyingHooks[N]>;

export interface HookOptions {
  /** Lower runs first for modifying hooks. Default 0. */
  readonly priority?: number;
}

/** Fires hooks. Handlers come from plugins (`register` → `ctx.onHook`). */
export interface HookBus {
  /** Runs every handler in parallel. A handler's error is logged with its plugin id and swallowed. */
  emit<N extends ObservingHookName>(name: N, payload: ObservingHooks[N]): Promise<void>;
  /** Threads `value` through the handlers in priority order. A failing handler is skipped. */
  modify<N extends ModifyingHookName>(name: N, value: ModifyingHooks[N]): Promise<ModifyingHooks[N]>;
}

export const HookBusToken = createToken<HookBus>('nexus.hooks');
