import { describe, expectTypeOf, it } from 'vitest';
import type { ConfigFromSchema, ConfigSchema } from '@nexus/plugin-sdk';
import type { EchoConfig } from '../../examples/plugins/echo/src/config-schema.js';

// Type-level: `tsc -p tsconfig.json` (which includes test/) fails when a type drifts.
describe('ConfigFromSchema', () => {
  it('makes properties with a default required, as the kernel fills them in, and leaves the others optional', () => {
    const _schema = {
      type: 'object',
      additionalProperties: false,
      required: ['token'],
      properties: {
        token: { type: 'string' },
        retries: { type: 'integer', default: 3 },
        label: { type: 'string' },
      },
    } as const satisfies ConfigSchema;
    expectTypeOf<ConfigFromSchema<typeof _schema>>().toEqualTypeOf<{ readonly token: string; readonly retries: number; readonly label?: string }>();
  });

  it('reads enums, arrays and nested objects, read-only all the way down', () => {
    const _schema = {
      type: 'object',
      additionalProperties: false,
      properties: {
        mode: { enum: ['fast', 'safe'], default: 'safe' },
        hosts: { type: 'array', items: { type: 'string' }, default: [] },
        limits: { type: 'object', additionalProperties: false, default: {}, properties: { rpm: { type: 'number', default: 60 } } },
      },
    } as const satisfies ConfigSchema;
    expectTypeOf<ConfigFromSchema<typeof _schema>>().toEqualTypeOf<{
      readonly mode: 'fast' | 'safe';
      readonly hosts: readonly string[];
      readonly limits: { readonly rpm: number };
    }>();
  });

  it('follows $ref into $defs, as draft 2020-12 schemas in manifests write it', () => {
    const _schema = {
      type: 'object',
      additionalProperties: false,
      properties: { accounts: { type: 'object', default: {}, additionalProperties: { $ref: '#/$defs/account' } } },
      $defs: { account: { type: 'object', additionalProperties: false, required: ['id'], properties: { id: { type: 'string' } } } },
    } as const satisfies ConfigSchema;
    expectTypeOf<ConfigFromSchema<typeof _schema>>().toEqualTypeOf<{ readonly accounts: { readonly [name: string]: { readonly id: string } } }>();
  });

  it('gives the echo example its config type', () => {
    expectTypeOf<EchoConfig>().toEqualTypeOf<{ readonly prefix: string }>();
  });

  it('refuses what is not a schema at compile time', () => {
    // @ts-expect-error `type` must be a JSON Schema type name
    expectTypeOf<ConfigFromSchema<{ type: 'text' }>>().toBeObject();
  });
});
