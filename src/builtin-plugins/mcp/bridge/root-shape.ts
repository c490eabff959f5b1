import { isSchemaObject, type SchemaObject } from './subschema-walk.js';

/** Top-level keywords OpenAI refuses ("must have type 'object' and not have 'oneOf'/'anyOf'/'allOf'/'enum'/'const'/'not' at the top level"). */
const REFUSED_AT_ROOT = ['enum', 'const', 'not'] as const;

export interface RootShape {
  readonly changes: string[];
  /** A sentence for the description when alternatives were flattened away. */
  readonly note?: string;
}

/**
 * Makes the root a plain `type: object` schema both providers accept. Anthropic refuses a
 * top-level oneOf/anyOf/allOf; OpenAI refuses those and enum/const/not. allOf branches are merged
 * (their properties and required lists together); oneOf/anyOf branches become one object with
 * every branch's properties, requiring only what every branch requires, and the alternatives are
 * spelled out in the description so the model still knows them. The MCP server validates the
 * real rule when the tool is called.
 */
export function shapeRoot(root: SchemaObject): RootShape {
  const changes: string[] = [];
  let note: string | undefined;

  if ('$id' in root) {
    delete root.$id;
    changes.push('removed $id');
  }
  const type = root.type;
  if (type === undefined) {
    root.type = 'object';
    changes.push('added the missing type: object');
  } else if (Array.isArray(type) && type.includes('object')) {
    root.type = 'object';
    changes.push('narrowed the root type to object');
  } else if (type !== 'object') {
    for (const key of Object.keys(root)) if (key !== 'description' && key !== 'title') delete root[key];
    root.type = 'object';
    root.properties = {};
    changes.push(`replaced a root of type ${JSON.stringify(type)} (MCP tool input must be an object) with an open object`);
    return { changes };
  }

  if (Array.isArray(root.allOf)) {
    for (const branch of root.allOf) mergeBranch(root, resolveLocal(root, branch), 'union');
    delete root.allOf;
    changes.push('merged a top-level allOf');
  }
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = root[keyword];
    if (!Array.isArray(branches)) continue;
    delete root[keyword];
    const objects = branches.map((branch) => resolveLocal(root, branch)).filter(isSchemaObject);
    const requiredSets = objects.map((branch) => (Array.isArray(branch.required) ? branch.required.filter((r): r is string => typeof r === 'string') : []));
    for (const branch of objects) mergeBranch(root, branch, 'none');
    const common = requiredSets.length === 0 ? [] : requiredSets.reduce((acc, set) => acc.filter((name) => set.includes(name)));
    const required = new Set([...(Array.isArray(root.required) ? (root.required as string[]) : []), ...common]);
    if (required.size > 0) root.required = [...required];
    const alternatives = requiredSets.map((set) => set.filter((name) => !common.includes(name))).filter((set) => set.length > 0);
    if (alternatives.length > 1) {
      const phrase = alternatives.map((set) => set.join(' + ')).join(keyword === 'oneOf' ? ' | ' : ' or ');
      note = `Input alternatives (${keyword === 'oneOf' ? 'exactly one' : 'at least one'}): ${phrase}.`;
    }
    changes.push(`flattened a top-level ${keyword}`);
  }
  for (const keyword of REFUSED_AT_ROOT) {
    if (keyword in root) {
      delete root[keyword];
      changes.push(`removed a top-level ${keyword}`);
    }
  }
  if (!isSchemaObject(root.properties)) {
    root.properties = {};
    changes.push('added empty properties');
  }
  return { changes, note };
}

/** A branch that is a local `$ref` (`#/$defs/x`, `#/definitions/x`) is read from the root. */
function resolveLocal(root: SchemaObject, branch: unknown): unknown {
  if (!isSchemaObject(branch) || typeof branch.$ref !== 'string' || !branch.$ref.startsWith('#/')) return branch;
  let node: unknown = root;
  for (const segment of branch.$ref.slice(2).split('/')) {
    if (!isSchemaObject(node)) return branch;
    node = node[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return isSchemaObject(node) ? node : branch;
}

function mergeBranch(root: SchemaObject, branch: unknown, required: 'union' | 'none'): void {
  if (!isSchemaObject(branch)) return;
  const properties = isSchemaObject(root.properties) ? root.properties : (root.properties = {});
  if (isSchemaObject(branch.properties)) {
    for (const [key, schema] of Object.entries(branch.properties)) if (!(key in properties)) properties[key] = schema;
  }
  if (required === 'union' && Array.isArray(branch.required)) {
    const names = new Set([...(Array.isArray(root.required) ? (root.required as string[]) : []), ...branch.required.filter((r): r is string => typeof r === 'string')]);
    root.required = [...names];
  }
}
