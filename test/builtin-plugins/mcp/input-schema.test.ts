import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { normaliseInputSchema, restoreArgumentNames } from '../../../src/builtin-plugins/mcp/bridge/index.js';

const require = createRequire(import.meta.url);
const Ajv = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020 }).default;
const ajv = new Ajv({ strict: false, allErrors: true });
const compiles = (schema: object) => {
  try {
    ajv.compile(schema);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
};

/**
 * What Anthropic and OpenAI refuse in a tool's input schema, as their error messages state it:
 * - Anthropic: "input_schema does not support oneOf, allOf, or anyOf at the top level";
 *   "JSON schema is invalid. It must match JSON Schema draft 2020-12";
 *   "properties: Property keys should match pattern '^[a-zA-Z0-9_.-]{1,64}$'"; type must be object.
 * - OpenAI: "schema must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'const'/'not'
 *   at the top level"; "array schema missing items".
 */
function providerRejections(schema: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (schema.type !== 'object') problems.push('root type is not object');
  for (const key of ['oneOf', 'anyOf', 'allOf', 'enum', 'const', 'not']) if (key in schema) problems.push(`top-level ${key}`);
  if (!ajv.validateSchema(schema)) problems.push(`not draft 2020-12: ${ajv.errorsText(ajv.errors)}`);
  if (typeof schema.$schema === 'string' && !schema.$schema.includes('2020-12')) problems.push('$schema of another draft');
  for (const key of Object.keys((schema.properties as object) ?? {})) if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(key)) problems.push(`property key ${key}`);
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const n = node as Record<string, unknown>;
    if ((n.type === 'array' || (Array.isArray(n.type) && n.type.includes('array'))) && n.items === undefined && n.prefixItems === undefined) problems.push('array schema missing items');
    for (const value of Object.values(n)) {
      if (Array.isArray(value)) value.forEach(visit);
      else visit(value);
    }
  };
  visit(schema);
  return problems;
}

function normalise(input: unknown) {
  const result = normaliseInputSchema(input, compiles);
  expect(providerRejections(result.schema)).toEqual([]);
  expect(compiles(result.schema)).toBeUndefined();
  return result;
}

describe('normalising MCP input schemas for providers', () => {
  it('passes a schema providers accept through unchanged', () => {
    const schema = { type: 'object', properties: { city: { type: 'string', description: 'City name' }, days: { type: 'integer', minimum: 1 } }, required: ['city'], additionalProperties: false };
    const result = normalise(schema);
    expect(result.schema).toEqual(schema);
    expect(result.changes).toEqual([]);
    expect(result.renamedArguments).toBeUndefined();
  });

  it.each([
    ['no schema at all', undefined],
    ['an array', [1, 2]],
    ['a string', 'object'],
  ])('replaces %s with an open object', (_what, input) => {
    const result = normalise(input);
    expect(result.schema).toEqual({ type: 'object', properties: {} });
    expect(result.changes[0]).toMatch(/replaced a missing or non-object inputSchema/);
  });

  it('adds type: object to a root without a type, and removes $schema and $id', () => {
    const result = normalise({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'urn:x', properties: { a: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' } } });
    expect(result.schema).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
    expect(result.changes).toEqual(expect.arrayContaining(['removed $schema', 'removed $id', 'added the missing type: object']));
  });

  it('replaces a non-object root type, since MCP tool input is always an object', () => {
    const result = normalise({ type: 'string', description: 'A query', minLength: 1 });
    expect(result.schema).toEqual({ type: 'object', description: 'A query', properties: {} });
  });

  it('flattens a top-level oneOf into one object and spells the alternatives out in the description', () => {
    const result = normalise({
      type: 'object',
      properties: { verbose: { type: 'boolean' } },
      oneOf: [
        { properties: { path: { type: 'string' }, ref: { type: 'string' } }, required: ['path', 'ref'] },
        { properties: { id: { type: 'integer' }, ref: { type: 'string' } }, required: ['id', 'ref'] },
      ],
    });
    expect(result.schema).toEqual({
      type: 'object',
      properties: { verbose: { type: 'boolean' }, path: { type: 'string' }, ref: { type: 'string' }, id: { type: 'integer' } },
      required: ['ref'],
    });
    expect(result.descriptionNote).toBe('Input alternatives (exactly one): path | id.');
  });

  it('merges a top-level allOf, keeping every branch\'s required properties', () => {
    const result = normalise({ allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { properties: { b: { type: 'number' } }, required: ['b'] }] });
    expect(result.schema).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a', 'b'] });
  });

  it('follows local $refs in a top-level anyOf', () => {
    const result = normalise({
      anyOf: [{ $ref: '#/$defs/byName' }, { $ref: '#/definitions/byId' }],
      $defs: { byName: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } },
      definitions: { byId: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    });
    expect(result.schema.properties).toEqual({ name: { type: 'string' }, id: { type: 'string' } });
    expect(result.schema.required).toBeUndefined();
    expect(result.descriptionNote).toBe('Input alternatives (at least one): name or id.');
  });

  it('removes top-level enum, const and not, which OpenAI refuses', () => {
    const result = normalise({ type: 'object', properties: { a: { type: 'string' } }, not: { required: ['b'] }, enum: [{ a: 'x' }] });
    expect(result.schema).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
  });

  it('gives arrays their missing items at any depth', () => {
    const result = normalise({ type: 'object', properties: { tags: { type: 'array' }, nested: { type: 'object', properties: { ids: { type: ['array', 'null'] } } } } });
    expect(result.schema).toMatchObject({ properties: { tags: { type: 'array', items: {} }, nested: { properties: { ids: { items: {} } } } } });
  });

  it('rewrites older-dialect keywords into draft 2020-12', () => {
    const result = normalise({
      type: 'object',
      properties: {
        count: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 9, exclusiveMaximum: false },
        name: { type: 'string', required: true },
        pair: { type: 'array', items: [{ type: 'string' }, { type: 'number' }], additionalItems: false },
        note: { type: 'string', nullable: true },
      },
    });
    expect(result.schema).toEqual({
      type: 'object',
      properties: {
        count: { type: 'integer', exclusiveMinimum: 0, maximum: 9 },
        name: { type: 'string' },
        pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false },
        note: { type: ['string', 'null'] },
      },
      required: ['name'],
    });
  });

  it('renames top-level argument keys Anthropic refuses, and maps the model\'s arguments back', () => {
    const result = normalise({
      type: 'object',
      properties: { 'filter[id]': { type: 'string' }, 'Account Number': { type: 'string' }, filter_id_: { type: 'string' }, same: { $ref: '#/properties/filter[id]' } },
      required: ['filter[id]'],
    });
    const keys = Object.keys(result.schema.properties as object);
    expect(keys).toEqual(['filter_id__2', 'Account_Number', 'filter_id_', 'same']);
    expect(result.schema.required).toEqual(['filter_id__2']);
    expect((result.schema.properties as Record<string, unknown>).same).toEqual({ $ref: '#/properties/filter_id__2' });
    expect(restoreArgumentNames({ filter_id__2: '7', Account_Number: 'A-1', filter_id_: 'x' }, result.renamedArguments)).toEqual({ 'filter[id]': '7', 'Account Number': 'A-1', filter_id_: 'x' });
  });

  it('falls back to an open object when the schema still does not compile, keeping the description', () => {
    const result = normaliseInputSchema({ type: 'object', description: 'Search', properties: { q: { type: 'string', pattern: '(' } } }, compiles);
    expect(result.schema).toEqual({ type: 'object', description: 'Search', properties: {} });
    expect(result.changes.at(-1)).toMatch(/does not compile .*the server checks the input/);
  });

  it('never changes the server\'s own schema object', () => {
    const original = { oneOf: [{ type: 'object', properties: { a: { type: 'array' } } }] };
    const copy = structuredClone(original);
    normalise(original);
    expect(original).toEqual(copy);
  });
});
