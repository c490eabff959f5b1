import type { ConfigAccess } from './config.js';
import type { ContributionRegistry, ServiceRegistry } from './contributions.js';
import type { HookBus, HookOptions, ModifyingHandler, ModifyingHookName, ObservingHandler, ObservingHookName } from './hooks.js';
import type { Logger } from './logger.js';
import type { TaskTracker } from './tasks.js';
import type { Token } from './tokens.js';

/** A class whose instances are `T`; its constructor parameters each carry `@inject(token)`. */
export type Newable<T> = new (...args: never[]) => T;

/** What a dynamic value's factory may resolve: the plugin's own bindings, then the host's. */
export interface ResolutionContext {
  /** `get<MyConfig>(PluginConfigToken)` names the type of an untyped token. */
  get<T>(token: Token<T> | Token<unknown>, options?: { readonly name?: string }): T;
  get<T>(implementation: Newable<T>): T;
}

/** How a binding ends: `onUnload` runs when the plugin's bindings are unloaded (it stops or reloads). */
export interface BindingOptions<T> {
  onUnload?(value: T): void | Promise<void>;
}

/** Binds one contribution or service. Everything bound this way is a singleton. */
export interface ContributionBinder<T> {
  toConstantValue(value: T, options?: BindingOptions<T>): void;
  to(implementation: Newable<T>, options?: BindingOptions<T>): void;
  toDynamicValue(factory: (context: ResolutionContext) => T, options?: BindingOptions<T>): void;
}

/** Binds one of the plugin's own classes, by the class itself. */
export interface ClassBinder<T> extends ContributionBinder<T> {
  toSelf(options?: BindingOptions<T>): void;
}

/**
 * What `register` receives. Registration only binds: no I/O, no awaiting. It runs inside the
 * plugin's own child container, so unloading the plugin removes exactly what it bound.
 */
export interface PluginRegistrationContext {
  readonly pluginId: string;
  /** Binds one of the plugin's private values or classes in its own container (a singleton). */
  bind<T>(token: Token<T>): ContributionBinder<T>;
  bind<T>(implementation: Newable<T>): ClassBinder<T>;
  /** Whether `token` is bound in the plugin's container or the host's. */
  isBound(token: Token<unknown>): boolean;
  /** Contributes `name` to a contribution point. The name must be declared in the manifest. */
  contribute<T>(point: Token<T>, name: string): ContributionBinder<T>;
  /** Provides a service other plugins can use. Its token id must be in `contributes.services`. */
  provide<T>(service: Token<T>): ContributionBinder<T>;
  /** Subscribes to an observing hook. Declare it in `contributes.hooks` to be activated by it. */
  onHook<N extends ObservingHookName>(name: N, handler: ObservingHandler<N>, options?: HookOptions): void;
  /** Subscribes to a modifying hook, which must be declared in `contributes.hooks`. */
  onModify<N extends ModifyingHookName>(name: N, handler: ModifyingHandler<N>, options?: HookOptions): void;
}

/**
 * Hook subscriptions made once the plugin runs (in `activate`), with what it resolved in scope.
 * They end when the plugin stops; the returned function ends one sooner.
 */
export interface HookSubscriber {
  /** Subscribes to an observing hook. */
  onHook<N extends ObservingHookName>(name: N, handler: ObservingHandler<N>, options?: HookOptions): () => void;
  /** Subscribes to a modifying hook, which must be declared in `contributes.hooks`. */
  onModify<N extends ModifyingHookName>(name: N, handler: ModifyingHandler<N>, options?: HookOptions): () => void;
}

/** What `activate` and `deactivate` receive. */
export interface PluginActivationContext<C = unknown> extends HookSubscriber {
  readonly pluginId: string;
  /**
   * Why the plugin was loaded: `onStartup`, `required` (started at startup because it is
   * required), `reload` (a config reload restarted it, after startup), `onCommand:<name>`,
   * `onHook:<name>`, `onService:<id>`, `required by <plugin>`, …
   */
  readonly event: string;
  /** `plugins.entries.<id>.config`, validated against `configSchema`, defaults applied. */
  readonly config: C;
  readonly logger: Logger;
  /** Fires when the plugin stops. */
  readonly signal: AbortSignal;
  /** Background work that stop waits for. */
  readonly tasks: TaskTracker;
  readonly hooks: HookBus;
  readonly settings: ConfigAccess;
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
  /** Resolves from the plugin's own container (its bindings, then the kernel's). */
  get<T>(token: Token<T>, options?: { readonly name?: string }): T;
  getAsync<T>(token: Token<T>, options?: { readonly name?: string }): Promise<T>;
}

export interface PluginDefinition<C = unknown> {
  /** Binds the plugin's classes and contributions. Synchronous; a returned promise is an error. */
  register?(ctx: PluginRegistrationContext): void;
  /** Runs when an activation event fires, after `register`. May await I/O; it has a deadline. */
  activate?(ctx: PluginActivationContext<C>): void | Promise<void>;
  /** Runs on stop or disable, before the plugin's bindings are unloaded. It has a deadline. */
  deactivate?(ctx: PluginActivationContext<C>): void | Promise<void>;
}

const PLUGIN_BRAND = Symbol.for('nexus.plugin-definition');

/** Declares a plugin. The entry module default-exports the result. */
export function definePlugin<C = unknown>(definition: PluginDefinition<C>): PluginDefinition<C> {
  return Object.freeze({ ...definition, [PLUGIN_BRAND]: true });
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}
