import {
  HOOKS,
  type HookBus,
  type Logger,
  type ModifyingHookName,
  type ModifyingHooks,
  type ObservingHookName,
  type ObservingHooks,
} from '@nexus/plugin-sdk';
import { withDeadline } from './deadline.js';

type AnyHandler = (value: never) => unknown;

interface Subscription {
  readonly pluginId: string;
  readonly name: string;
  readonly priority: number;
  readonly handler: AnyHandler;
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
  ) {}

  subscribe(pluginId: string, name: string, handler: AnyHandler, priority = 0): void {
    if (!(name in this.declared)) {
      throw new Error(`unknown hook "${name}"; the hooks are: ${Object.keys(this.declared).join(', ')}`);
    }
    this.subscriptions.push({ pluginId, name, handler, priority });
    this.ordered.clear();
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

  async modify<N extends ModifyingHookName>(name: N, value: ModifyingHooks[N]): Promise<ModifyingHooks[N]> {
    const activating = this.activateSubscribers(name);
    if (activating) await activating;
    let current = value;
    for (const subscription of this.handlersFor(name)) {
      const next = await this.call(subscription, current);
      if (next.ok) current = next.value as ModifyingHooks[N];
    }
    return current;
  }

  private handlersFor(name: string): readonly Subscription[] {
    let handlers = this.ordered.get(name);
    if (!handlers) {
      handlers = this.subscriptions.filter((s) => s.name === name).sort((a, b) => a.priority - b.priority);
      this.ordered.set(name, handlers);
    }
    return handlers;
  }

  private async call(subscription: Subscription, value: unknown): Promise<{ ok: true; value: unknown } | { ok: false }> {
    try {
      const returned = (subscription.handler as (v: unknown) => unknown)(value);
      // A handler that returned no promise is done: only a pending one needs the deadline (a
      // timer per handler on every turn's hooks was a measurable share of a turn).
      return { ok: true, value: isPromiseLike(returned) ? await this.deadline(subscription, returned) : returned };
    } catch (error) {
      this.failed(subscription, error);
      return { ok: false };
    }
  }

  /** Waits for an observer's promise under the handler deadline; a failure is logged, not passed on. */
  private async settle(subscription: Subscription, returned: PromiseLike<unknown>): Promise<void> {
    try {
      await this.deadline(subscription, returned);
    } catch (error) {
      this.failed(subscription, error);
    }
  }

  private deadline(subscription: Subscription, returned: PromiseLike<unknown>): Promise<unknown> {
    return withDeadline(returned, this.handlerDeadlineMs, `hook ${subscription.name} handler of ${subscription.pluginId}`);
  }

  private failed(subscription: Subscription, error: unknown): void {
    this.logger.error(`hook handler failed: ${(error as Error).message}`, {
      pluginId: subscription.pluginId,
      hook: subscription.name,
      err: error,
    });
  }
}

const SETTLED: Promise<void> = Promise.resolve();

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | undefined)?.then === 'function';
}
