export type SchemaObject = Record<string, unknown>;

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SINGLE = ['additionalProperties', 'items', 'additionalItems', 'contains', 'not', 'if', 'then', 'else', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'];
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/** Deeper than any real tool schema; stops a hostile one from exhausting the stack. */
const MAX_DEPTH = 64;

/**
 * Calls `visit` on `schema` and every subschema below it, parents before children, so a visit
 * may reshape a node (turn tuple `items` into `prefixItems`) before its children are walked.
 */
export function walkSubschemas(schema: SchemaObject, visit: (node: SchemaObject) => void, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  visit(schema);
  for (const key of SINGLE) {
    const child = schema[key];
    if (isSchemaObject(child)) walkSubschemas(child, visit, depth + 1);
  }
  for (const key of LISTS) {
    const list = schema[key];
    if (Array.isArray(list)) for (const child of list) if (isSchemaObject(child)) walkSubschemas(child, visit, depth + 1);
  }
  for (const key of MAPS) {
    const map = schema[key];
    if (isSchemaObject(map)) for (const child of Object.values(map)) if (isSchemaObject(child)) walkSubschemas(child, visit, depth + 1);
  }
}
