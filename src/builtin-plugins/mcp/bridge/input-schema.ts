import type { JsonSchema } from '@nexus/plugin-sdk';
import { renameUnsafeArguments } from './argument-names.js';
import { fixDialect } from './dialect-fixes.js';
import { shapeRoot } from './root-shape.js';
import { isSchemaObject, walkSubschemas, type SchemaObject } from './subschema-walk.js';

export interface NormalisedSchema {
  /** A draft 2020-12 object schema both Anthropic and OpenAI accept. */
  readonly schema: JsonSchema;
  /** Safe argument name → the server's name, when top-level keys had to be renamed. */
  readonly renamedArguments?: ReadonlyMap<string, string>;
  /** A sentence to add to the description (alternatives a flattened oneOf/anyOf expressed). */
  readonly descriptionNote?: string;
  /** What was changed, each once, for logs and `nexus mcp tools`; empty when nothing was. */
  readonly changes: readonly string[];
}

/** Returns why a schema does not compile (with the runtime's validator), or `undefined`. */
export type SchemaCheck = (schema: JsonSchema) => string | undefined;

/**
 * Passes a server's `inputSchema` through, changing only what providers refuse: a missing or
 * non-object root, top-level combinators and enum/const/not, `$schema`/`$id`, older-dialect
 * keywords, arrays without `items`, and top-level property keys outside Anthropic's pattern.
 * A schema that still does not compile becomes an open object (the server checks the input),
 * since one unusable schema would otherwise fail every request that lists it.
 */
export function normaliseInputSchema(input: unknown, check?: SchemaCheck): NormalisedSchema {
  const changes = new Set<string>();
  let root: SchemaObject;
  if (isSchemaObject(input)) {
    root = structuredClone(input);
  } else {
    root = { type: 'object', properties: {} };
    changes.add(`replaced a missing or non-object inputSchema (${input === undefined ? 'none' : Array.isArray(input) ? 'an array' : typeof input}) with an open object`);
  }
  walkSubschemas(root, (node) => {
    for (const change of fixDialect(node)) changes.add(change);
  });
  const shape = shapeRoot(root);
  for (const change of shape.changes) changes.add(change);
  const renamedArguments = renameUnsafeArguments(root);
  if (renamedArguments) changes.add(`renamed argument keys providers refuse: ${[...renamedArguments.values()].map((k) => JSON.stringify(k)).join(', ')}`);

  const problem = check?.(root);
  if (problem !== undefined) {
    const open: SchemaObject = { type: 'object', properties: {} };
    if (typeof root.description === 'string') open.description = root.description;
    changes.add(`replaced a schema that does not compile (${problem}) with an open object; the server checks the input`);
    return { schema: open, changes: [...changes] };
  }
  return { schema: root, renamedArguments, descriptionNote: shape.note, changes: [...changes] };
}
