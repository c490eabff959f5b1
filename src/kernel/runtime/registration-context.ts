import type { BindInWhenOnFluentSyntax, ContainerModuleLoadOptions } from '@nexus/plugin-sdk/shared/inversify';
import type { BindingOptions, ClassBinder, Newable, PluginRegistrationContext, Token } from '@nexus/plugin-sdk';
import { HookHandlers, tokenId } from '@nexus/plugin-sdk';
import type { KernelHookBus } from './hook-bus.js';

/** What a plugin's `register` bound, for checking against its manifest and for unloading. */
export interface RegistrationRecord {
  readonly contributions: { readonly point: symbol; readonly name: string }[];
  readonly services: string[];
  /** Hooks subscribed with `onHook`/`onModify`. */
  readonly hooks: string[];
  /** Hooks handled by a class contributed to `HookHandlers`, subscribed once `register` is checked. */
  readonly hookHandlers: string[];
}

export function createRegistrationContext(
  pluginId: string,
  options: ContainerModuleLoadOptions,
  hooks: KernelHookBus,
  record: RegistrationRecord,
): PluginRegistrationContext {
  const binder = <T>(token: Token<T> | Newable<T>, name: string | undefined): ClassBinder<T> => {
    // Every binding is a singleton, named when it is a contribution, and may clean up on unload.
    const finish = (syntax: BindInWhenOnFluentSyntax<T>, bindingOptions: BindingOptions<T> | undefined) => {
      syntax.inSingletonScope();
      if (name !== undefined) syntax.whenNamed(name);
      const onUnload = bindingOptions?.onUnload;
      if (onUnload) syntax.onDeactivation((value) => onUnload(value));
    };
    return {
      toConstantValue: (value, o) => {
        const syntax = options.bind<T>(token as Token<T>).toConstantValue(value);
        if (name !== undefined) syntax.whenNamed(name);
        if (o?.onUnload) syntax.onDeactivation((v) => o.onUnload!(v));
      },
      // The SDK's `Newable` is inversify's with stricter constructor arguments.
      to: (implementation, o) => finish(options.bind<T>(token as Token<T>).to(implementation as never), o),
      toDynamicValue: (factory, o) => finish(options.bind<T>(token as Token<T>).toDynamicValue(factory as never), o),
      toSelf: (o) => finish(options.bind<T>(token as Token<T>).toSelf(), o),
    };
  };
  return {
    pluginId,
    bind: <T>(token: Token<T> | Newable<T>) => binder(token, undefined),
    isBound: (token) => options.isBound(token),
    contribute(point, name) {
      if (typeof name !== 'string' || name === '') throw new Error(`contribute(${tokenId(point)}): a contribution needs a name`);
      if (point === HookHandlers) record.hookHandlers.push(name);
      else record.contributions.push({ point, name });
      return binder(point, name);
    },
    provide(service) {
      record.services.push(tokenId(service));
      return binder(service, undefined);
    },
    onHook(name, handler, hookOptions) {
      hooks.subscribe(pluginId, name, handler as never, hookOptions?.priority, 'observe');
      record.hooks.push(name);
    },
    onModify(name, handler, hookOptions) {
      hooks.subscribe(pluginId, name, handler as never, hookOptions?.priority, 'modify');
      record.hooks.push(name);
    },
  };
}
