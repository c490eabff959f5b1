import { createHash } from 'node:crypto';
import { isSchemaObject, walkSubschemas, type SchemaObject } from './subschema-walk.js';

/** Anthropic's rule for the keys of `input_schema.properties`. */
const SAFE_KEY = /^[a-zA-Z0-9_.-]{1,64}$/;

/**
 * Anthropic refuses a tool whose top-level property keys leave `^[a-zA-Z0-9_.-]{1,64}$`
 * (`filter[id]`, `Account Number`), and with it the whole request. Such keys are renamed here
 * (other characters become `_`, long keys are clamped with a hash, clashes get a counter) and
 * `required` and local `$ref`s follow; the returned map takes the model's arguments back to the
 * server's names. Nested keys are left alone: that check is top-level only.
 */
export function renameUnsafeArguments(root: SchemaObject): ReadonlyMap<string, string> | undefined {
  if (!isSchemaObject(root.properties)) return undefined;
  const keys = Object.keys(root.properties);
  if (keys.every((key) => SAFE_KEY.test(key))) return undefined;

  const taken = new Set(keys.filter((key) => SAFE_KEY.test(key)));
  const renamed = new Map<string, string>();
  const properties: SchemaObject = {};
  for (const [key, schema] of Object.entries(root.properties)) {
    if (SAFE_KEY.test(key)) {
      properties[key] = schema;
      continue;
    }
    const safe = safeKey(key, taken);
    taken.add(safe);
    renamed.set(safe, key);
    properties[safe] = schema;
  }
  root.properties = properties;
  const toSafe = new Map([...renamed].map(([safe, original]) => [original, safe]));
  if (Array.isArray(root.required)) root.required = root.required.map((name) => (typeof name === 'string' ? (toSafe.get(name) ?? name) : name));
  walkSubschemas(root, (node) => {
    if (typeof node.$ref !== 'string' || !node.$ref.startsWith('#/properties/')) return;
    const [, , key, ...rest] = node.$ref.split('/');
    const original = key?.replace(/~1/g, '/').replace(/~0/g, '~');
    const safe = original === undefined ? undefined : toSafe.get(original);
    if (safe !== undefined) node.$ref = ['#', 'properties', safe, ...rest].join('/');
  });
  return renamed;
}

function safeKey(key: string, taken: ReadonlySet<string>): string {
  let safe = key.replace(/[^a-zA-Z0-9_.-]/g, '_') || '_';
  if (safe.length > 64) safe = `${safe.slice(0, 55)}_${createHash('sha1').update(key).digest('hex').slice(0, 8)}`;
  const base = safe;
  for (let n = 2; taken.has(safe); n++) safe = `${base.slice(0, 64 - String(n).length - 1)}_${n}`;
  return safe;
}

/** The model's arguments under the server's own key names. */
export function restoreArgumentNames(input: unknown, renamed: ReadonlyMap<string, string> | undefined): unknown {
  if (!renamed || !isSchemaObject(input)) return input;
  const restored: SchemaObject = {};
  for (const [key, value] of Object.entries(input)) restored[renamed.get(key) ?? key] = value;
  return restored;
}
