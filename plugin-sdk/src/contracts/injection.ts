import * as shared from '../shared/inversify.js';
import type { Token } from './tokens.js';

// The decorators a plugin's classes are wired with, from the one inversify the host and its
// plugins share. A plugin that takes them from the SDK needs no inversify of its own, so the host
// needs no loader hooks to swap a plugin's copy for its own (on Node 20 they run on a thread
// costing some 12 MB); see docs/plugin-authoring.md. The signatures are the SDK's own, so a
// plugin's types never depend on inversify's.

/** Decorates a constructor parameter or a property. */
export type InjectionDecorator = (target: object, propertyKey: string | symbol | undefined, parameterIndex?: number) => void;
/** Decorates a class. */
export type ClassDecorator = <C extends abstract new (...args: never) => unknown>(target: C) => C | void;
/** Decorates a method. */
export type MethodDecorator = (target: object, propertyKey: string | symbol, descriptor: PropertyDescriptor) => void;

/** Marks a class the container may construct. */
export const injectable: () => ClassDecorator = shared.injectable as never;
/** Injects the value bound to `token` (every constructor parameter needs one: no type metadata is emitted). */
export const inject: (token: Token<unknown>) => InjectionDecorator = shared.inject as never;
/** Injects every value bound to `token`, as an array. */
export const multiInject: (token: Token<unknown>) => InjectionDecorator = shared.multiInject as never;
/** With `@inject`: picks the binding contributed under `name`. */
export const named: (name: string) => InjectionDecorator = shared.named as never;
/** With `@inject`: `undefined` instead of an error when nothing is bound. */
export const optional: () => InjectionDecorator = shared.optional as never;
/** A constructor parameter the container leaves alone (a subclass passes it). */
export const unmanaged: () => InjectionDecorator = shared.unmanaged as never;
/** Runs the method once the instance is constructed and injected. */
export const postConstruct: () => MethodDecorator = shared.postConstruct as never;
/** Runs the method when the instance's binding is unloaded (the plugin stops). */
export const preDestroy: () => MethodDecorator = shared.preDestroy as never;
