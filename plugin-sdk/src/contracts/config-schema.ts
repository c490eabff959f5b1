import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * A JSON Schema written as a TypeScript literal (`{ … } as const`), the form
 * `ConfigFromSchema` reads. Keep it equal to the `configSchema` (or config section `schema`) in
 * your manifest: the manifest is what the kernel validates with, the literal is what the
 * compiler reads; a test comparing the two keeps them in step. `$defs` is allowed (draft 2020-12,
 * as the kernel validates), and `$ref: '#/$defs/…'` is followed.
 */
export type ConfigSchema = Exclude<JSONSchema, boolean> & { readonly $defs?: Readonly<Record<string, JSONSchema>> };

/** Objects and arrays made read-only all the way down: a plugin's config is the kernel's, not its own. */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * The config a plugin receives for a schema: `ConfigFromSchema<typeof schema>`, with
 * `schema` declared `as const`. A property with a `default` is required here, because the
 * kernel fills in defaults before the plugin sees its config.
 */
export type ConfigFromSchema<S extends ConfigSchema> = DeepReadonly<FromSchema<S, { keepDefaultedPropertiesOptional: false }>>;
