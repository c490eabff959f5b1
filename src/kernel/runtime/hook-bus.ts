import {
  HOOKS,
  MODIFYING_HOOK_DEADLINES_MS,
  type HookBus,
  type Logger,
  type ModifyingHookName,
  type ModifyingHooks,
  type ObservingHookName,
  type ObservingHooks,
} from '@nexus/plugin-sdk';
import { withDeadline } from './deadline.js';
import { isVeto, returnedValueProblem } from './modifying-hook-rules.js';

type AnyHandler = (value: never) => unknown;

interface Subscription {
  readonly pluginId: string;
  readonly name: string;
  readonly priority: number;
  readonly handler: AnyHandler;
}

/** A handler that threw, hung past its deadline or returned an unusable value, and was skipped. */
export interface HookFailure {
  readonly pluginId: string;
  readonly hook: string;
  readonly message: string;
}

/**
 * The kernel's single hook bus. Before dispatching it asks the kernel to activate plugins that
 * declared the hook, so a subscriber never misses an event because its code was not loaded yet.
 * One handler's failure or hang is logged with its plugin id and does not affect the others.
 */
export class KernelHookBus implements HookBus {
  private readonly subscriptions: Subscription[] = [];
  /** Each hook's handlers in call order, worked out on first emit after a (un)subscription. */
  private readonly ordered = new Map<string, readonly Subscription[]>();

  constructor(
    private readonly logger: Logger,
    /** Activates the plugins that declared `hook` and are not active yet; undefined when there are none. */
    private readonly activateSubscribers: (hook: string) => Promise<void> | undefined,
    private readonly handlerDeadlineMs: number,
    /** The declared hooks; a subscription to anything else is a mistake worth failing loudly. */
    private readonly declared: Readonly<Record<string, 'observe' | 'modify'>> = HOOKS,
    /** Told of every skipped handler (the kernel notes it on the plugin), besides the log. */
    private readonly onFailure: (failure: HookFailure) => void = () => undefined,
  ) {}

  /**
   * Adds a handler; returns the function that removes it. `mode`, when given, is the kind of
   * hook the caller meant (`onHook` observes, `onModify` modifies): a mix-up fails here, not as
   * a handler whose return value is silently dropped or passed on.
   */
  subscribe(pluginId: string, name: string, handler: AnyHandler, priority = 0, mode?: 'observe' | 'modify'): () => void {
    const declared = this.declared[name];
    if (declared === undefined) {
      throw new Error(`unknown hook "${name}"; the hooks are: ${Object.keys(this.declared).join(', ')}`);
    }
    if (mode !== undefined && mode !== declared) {
      throw new Error(
        declared === 'modify'
          ? `"${name}" is a modifying hook: subscribe with onModify (its handler returns the value to pass on)`
          : `"${name}" is an observing hook: subscribe with onHook (onModify is for modifying hooks)`,
      );
    }
    if (!Number.isFinite(priority)) throw new Error(`hook "${name}": priority ${String(priority)} is not a finite number`);
    const subscription: Subscription = { pluginId, name, handler, priority };
    this.subscriptions.push(subscription);
    this.ordered.clear();
    return () => {
      const index = this.subscriptions.indexOf(subscription);
      if (index === -1) return;
      this.subscriptions.splice(index, 1);
      this.ordered.clear();
    };
  }

  /** Drops every handler a plugin registered (on unload). */
  removePlugin(pluginId: string): void {
    for (let i = this.subscriptions.length - 1; i >= 0; i--) {
      if (this.subscriptions[i]!.pluginId === pluginId) this.subscriptions.splice(i, 1);
    }
    this.ordered.clear();
  }

  // Every turn emits several hooks, most with every subscriber long active and each handler
  // done by the time it returns: such an emit skips the activation step, does not rebuild the
  // handler list, and hands back one settled promise instead of a chain of them per handler.
  emit<N extends ObservingHookName>(name: N, payload: ObservingHooks[N]): Promise<void> {
    const activating = this.activateSubscribers(name);
    if (activating) return activating.then(() => this.dispatch(name, payload));
    return this.dispatch(name, payload);
  }

  private dispatch(name: string, payload: unknown): Promise<void> {
    let pending: Promise<unknown>[] | undefined;
    for (const subscription of this.handlersFor(name)) {
      const returned = this.start(subscription, payload);
      if (returned !== undefined) (pending ??= []).push(this.settle(subscription, returned));
    }
    return pending === undefined ? SETTLED : Promise.all(pending).then(() => undefined);
  }

  /** Calls an observer: what it returned when that is a promise still to be waited for, undefined once it is done. */
  private start(subscription: Subscription, value: unknown): PromiseLike<unknown> | undefined {
    try {
      const returned = (subscription.handler as (v: unknown) => unknown)(value);
      return isPromiseLike(returned) ? returned : undefined;
    } catch (error) {
      this.failed(subscription, error);
      return undefined;
    }
  }

  /**
   * Threads `value` through the handlers in priority order. A handler that throws, outlasts the
   * hook's deadline or returns an unusable value is skipped: the next one gets the value as it
   * was. A veto (`deny`, `drop`, `cancel`) ends the chain.
   */
  modify<N extends ModifyingHookName>(name: N, value: ModifyingHooks[N]): Promise<ModifyingHooks[N]> {
    const activating = this.activateSubscribers(name);
    if (activating) return activating.then(() => this.thread(name, value, this.handlersFor(name), 0));
    const result = this.thread(name, value, this.handlersFor(name), 0);
    return isPromiseLike(result) ? (result as Promise<ModifyingHooks[N]>) : Promise.resolve(result);
  }

  /**
   * Threads `current` through `handlers` from `index` on. Handlers that return at once are run
   * without awaiting anything (most handlers do, and this runs on every tool call); the first
   * one that returns a promise hands the rest over to `resume`.
   */
  private thread<N extends ModifyingHookName>(name: N, current: ModifyingHooks[N], handlers: readonly Subscription[], index: number): ModifyingHooks[N] | Promise<ModifyingHooks[N]> {
    for (let i = index; i < handlers.length; i++) {
      const subscription = handlers[i]!;
      let returned: unknown;
      try {
        returned = (subscription.handler as (v: unknown) => unknown)(current);
      } catch (error) {
        this.failed(subscription, error);
        continue;
      }
      if (isPromiseLike(returned)) return this.resume(name, current, handlers, i, returned);
      if (!this.usable(name, subscription, returned)) continue;
      current = returned;
      if (isVeto(name, current)) return current;
    }
    return current;
  }

  /** Waits for handler `index`'s promise under the hook's deadline, then threads on. */
  private async resume<N extends ModifyingHookName>(name: N, current: ModifyingHooks[N], handlers: readonly Subscription[], index: number, returned: PromiseLike<unknown>): Promise<ModifyingHooks[N]> {
    const subscription = handlers[index]!;
    const deadlineMs = Math.min(this.handlerDeadlineMs, (MODIFYING_HOOK_DEADLINES_MS as Record<string, number | undefined>)[name] ?? this.handlerDeadlineMs);
    try {
      const value = await this.deadline(subscription, returned, deadlineMs);
      if (this.usable(name, subscription, value)) {
        if (isVeto(name, value)) return value;
        current = value;
      }
    } catch (error) {
      this.failed(subscription, error);
    }
    return this.thread(name, current, handlers, index + 1);
  }

  /** Whether a handler's return can be passed on; one that cannot is reported against its plugin. */
  private usable<N extends ModifyingHookName>(name: N, subscription: Subscription, value: unknown): value is ModifyingHooks[N] {
    const problem = returnedValueProblem(name, value);
    if (problem === undefined) return true;
    this.failed(subscription, new Error(`returned an unusable value: ${problem}`));
    return false;
  }

  private handlersFor(name: string): readonly Subscription[] {
    let handlers = this.ordered.get(name);
    if (!handlers) {
      handlers = this.subscriptions.filter((s) => s.name === name).sort((a, b) => a.priority - b.priority);
      this.ordered.set(name, handlers);
    }
    return handlers;
  }

  /** Waits for an observer's promise under the handler deadline; a failure is logged, not passed on. */
  private async settle(subscription: Subscription, returned: PromiseLike<unknown>): Promise<void> {
    try {
      await this.deadline(subscription, returned);
    } catch (error) {
      this.failed(subscription, error);
    }
  }

  private deadline(subscription: Subscription, returned: PromiseLike<unknown>, deadlineMs = this.handlerDeadlineMs): Promise<unknown> {
    return withDeadline(returned, deadlineMs, `hook ${subscription.name} handler of ${subscription.pluginId}`);
  }

  private failed(subscription: Subscription, error: unknown): void {
    const message = (error as Error).message;
    const skipped = this.declared[subscription.name] === 'modify' ? '; skipped, the value passed on without its change' : '';
    this.logger.error(`hook ${subscription.name} handler of plugin ${subscription.pluginId} failed: ${message}${skipped}`, {
      pluginId: subscription.pluginId,
      hook: subscription.name,
      err: error,
    });
    this.onFailure({ pluginId: subscription.pluginId, hook: subscription.name, message });
  }
}

const SETTLED: Promise<void> = Promise.resolve();

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
