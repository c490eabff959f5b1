import type { ContainerModuleLoadOptions } from 'inversify';
import type { ContributionBinder, PluginRegistrationContext, Token } from '../../contracts/index.js';
import { tokenId } from '../../contracts/index.js';
import type { KernelHookBus } from './hook-bus.js';

/** What a plugin's `register` bound, for checking against its manifest and for unloading. */
export interface RegistrationRecord {
  readonly contributions: { readonly point: symbol; readonly name: string }[];
  readonly services: string[];
  readonly hooks: string[];
}

export function createRegistrationContext(
  pluginId: string,
  options: ContainerModuleLoadOptions,
  hooks: KernelHookBus,
  record: RegistrationRecord,
): PluginRegistrationContext {
  const binder = <T>(token: Token<T>, name: string | undefined): ContributionBinder<T> => {
    const named = <S extends { whenNamed(n: string): unknown }>(syntax: S) => (name === undefined ? undefined : syntax.whenNamed(name));
    return {
      toConstantValue: (value) => void named(options.bind<T>(token).toConstantValue(value)),
      to: (implementation) => void named(options.bind<T>(token).to(implementation).inSingletonScope()),
      toDynamicValue: (factory) => void named(options.bind<T>(token).toDynamicValue(factory).inSingletonScope()),
    };
  };
  return {
    pluginId,
    bind: options.bind,
    isBound: options.isBound,
    contribute(point, name) {
      if (typeof name !== 'string' || name === '') throw new Error(`contribute(${tokenId(point)}): a contribution needs a name`);
      record.contributions.push({ point, name });
      return binder(point, name);
    },
    provide(service) {
      record.services.push(tokenId(service));
      return binder(service, undefined);
    },
    onHook(name, handler, hookOptions) {
      hooks.subscribe(pluginId, name, handler as never, hookOptions?.priority);
      record.hooks.push(name);
    },
    onModify(name, handler, hookOptions) {
      hooks.subscribe(pluginId, name, handler as never, hookOptions?.priority);
      record.hooks.push(name);
    },
  };
}
