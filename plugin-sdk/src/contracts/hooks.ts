import type { TurnErrorCode } from './agent-runtime.js';
import type { Diagnostic } from './diagnostics.js';
import type { LlmUsage, ProviderFailureReason } from './llm-provider.js';
import type { ModifyingHooks } from './modifying-hooks.js';
import { createToken } from './tokens.js';

export type { ModifyingHooks, TurnScope } from './modifying-hooks.js';

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
  /** The runtime began a turn. */
  'turn.started': { readonly sessionId: string; readonly agentId: string; readonly channel: string };
  /** A turn ended, however it ended. */
  'turn.completed': {
    readonly sessionId: string;
    readonly agentId: string;
    readonly channel: string;
    readonly durationMs: number;
    readonly outcome: 'done' | 'error' | 'cancelled';
    readonly errorCode?: TurnErrorCode;
    /** Model calls made. */
    readonly iterations: number;
    readonly usage: LlmUsage;
    /** The provider and model that answered last. */
    readonly provider?: string;
    readonly model?: string;
  };
  /** One model call failed; `next` says what the failover chain does about it. */
  'provider.failed': {
    readonly provider: string;
    readonly model: string;
    readonly reason: ProviderFailureReason;
    readonly status?: number;
    readonly next: 'retry' | 'failover' | 'give_up';
  };
  /** A tool call finished (or failed, timed out, or was unknown). */
  'tool.executed': { readonly sessionId: string; readonly tool: string; readonly durationMs: number; readonly isError: boolean };
  /** An inbound message (from a channel or the API) was stored in its session. */
  'message.received': { readonly channel: string; readonly accountId: string; readonly sessionId: string; readonly messageId: string };
  /** A reply was delivered; `latencyMs` is the channel's send time. */
  'message.sent': {
    readonly channel: string;
    readonly accountId: string;
    /** Absent for a plugin's delivery (`ChannelDelivery`) that names no session. */
    readonly sessionId?: string;
    /** The stored message delivered; absent for a plugin's delivery of text that is not one. */
    readonly messageId?: string;
    readonly latencyMs: number;
  };
  /** A reply could not be delivered (after the channel's own retries). */
  'message.failed': {
    readonly channel: string;
    readonly accountId: string;
    readonly sessionId?: string;
    /** A stable error code, e.g. `delivery_failed`, `turn_failed`. */
    readonly code: string;
    readonly message: string;
  };
}

export type ObservingHookName = keyof ObservingHooks;
export type ModifyingHookName = keyof ModifyingHooks;
export type HookName = ObservingHookName | ModifyingHookName;

/** The runtime list of declared hooks and their mode, kept in step with the interfaces above. */
export const HOOKS = {
  'kernel.ready': 'observe',
  'kernel.stopping': 'observe',
  'plugin.activated': 'observe',
  'plugin.failed': 'observe',
  'turn.started': 'observe',
  'turn.completed': 'observe',
  'provider.failed': 'observe',
  'tool.executed': 'observe',
  'message.received': 'observe',
  'message.sent': 'observe',
  'message.failed': 'observe',
  'tool.before': 'modify',
  'tool.after': 'modify',
  'message.receiving': 'modify',
  'message.sending': 'modify',
  'prompt.build': 'modify',
  'turn.before': 'modify',
} as const satisfies Record<ObservingHookName, 'observe'> & Record<ModifyingHookName, 'modify'>;

export type ObservingHandler<N extends ObservingHookName> = (payload: ObservingHooks[N]) => void | Promise<void>;
export type ModifyingHandler<N extends ModifyingHookName> = (
  value: ModifyingHooks[N],
) => ModifyingHooks[N] | Promise<ModifyingHooks[N]>;

export interface HookOptions {
  /** Lower runs first for modifying hooks. Default 0. */
  readonly priority?: number;
}

/**
 * How long one handler of a modifying hook may take before it is skipped (the value passes on as
 * the previous handler left it). These run on a turn's or a message's path, so they are kept
 * short; the kernel's `hookMs` caps them further. Observing handlers get `hookMs` (10 s).
 */
export const MODIFYING_HOOK_DEADLINES_MS = {
  'tool.before': 5_000,
  'tool.after': 5_000,
  'message.receiving': 5_000,
  'message.sending': 5_000,
  'prompt.build': 5_000,
  'turn.before': 2_000,
} as const satisfies Record<ModifyingHookName, number>;

/**
 * A hook handler as a class in the plugin's container, so it can `@inject` what it needs:
 * `ctx.contribute(HookHandlers, 'tool.before').to(MyPolicy)`, with the hook listed in
 * `contributes.hooks` (its `priority` there orders it). The kernel resolves it on the hook's
 * first call and unloads it with the plugin.
 */
export interface HookHandler<N extends HookName = HookName> {
  handle(value: HookValue<N>): HookResult<N> | Promise<HookResult<N>>;
}

/** What a hook handler receives: an observing hook's payload or a modifying hook's value. */
export type HookValue<N extends HookName> = N extends ObservingHookName ? ObservingHooks[N] : N extends ModifyingHookName ? ModifyingHooks[N] : never;
/** What it returns: nothing for an observing hook, the value to pass on for a modifying one. */
export type HookResult<N extends HookName> = N extends ModifyingHookName ? ModifyingHooks[N] : void;

/** Hook handler classes, contributed under the hook's name (declared in `contributes.hooks`). */
// `never` in the handler's parameter lets one point take a handler of any hook.
export const HookHandlers = createToken<{ handle(value: never): unknown }>('nexus.contrib.hook-handlers');

/** Fires hooks. Handlers come from plugins (`ctx.onHook`/`ctx.onModify`, or `HookHandlers`). */
export interface HookBus {
  /** Runs every handler in parallel. A handler's error is logged with its plugin id and swallowed. */
  emit<N extends ObservingHookName>(name: N, payload: ObservingHooks[N]): Promise<void>;
  /** Threads `value` through the handlers in priority order. A failing handler is skipped. */
  modify<N extends ModifyingHookName>(name: N, value: ModifyingHooks[N]): Promise<ModifyingHooks[N]>;
}

export const HookBusToken = createToken<HookBus>('nexus.hooks');
