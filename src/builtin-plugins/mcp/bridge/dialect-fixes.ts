import { isSchemaObject, type SchemaObject } from './subschema-walk.js';

/**
 * Rewrites one schema node from older dialects into draft 2020-12, which Anthropic checks tool
 * schemas against ("JSON schema is invalid. It must match JSON Schema draft 2020-12"), and adds
 * what OpenAI insists on ("array schema missing items"). Returns what it changed.
 */
export function fixDialect(node: SchemaObject): string[] {
  const changes: string[] = [];
  if ('$schema' in node) {
    delete node.$schema;
    changes.push('removed $schema');
  }
  // OpenAPI's nullable: true is a type union in JSON Schema.
  if ('nullable' in node) {
    if (node.nullable === true) {
      if (typeof node.type === 'string') node.type = [node.type, 'null'];
      else if (Array.isArray(node.type) && !node.type.includes('null')) node.type = [...(node.type as unknown[]), 'null'];
    }
    delete node.nullable;
    changes.push('turned OpenAPI nullable into a type union');
  }
  // Draft 4 wrote exclusive bounds as booleans beside minimum/maximum.
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof node[flag] !== 'boolean') continue;
    if (node[flag] === true && typeof node[bound] === 'number') {
      node[flag] = node[bound];
      delete node[bound];
    } else {
      delete node[flag];
    }
    changes.push(`rewrote draft-4 boolean ${flag}`);
  }
  // Draft 3 marked required properties with required: true on the property itself.
  if (isSchemaObject(node.properties)) {
    const lifted: string[] = [];
    for (const [key, property] of Object.entries(node.properties)) {
      if (isSchemaObject(property) && typeof property.required === 'boolean') {
        if (property.required) lifted.push(key);
        delete property.required;
      }
    }
    if (lifted.length > 0) {
      const required = Array.isArray(node.required) ? (node.required as unknown[]) : [];
      node.required = [...new Set([...required.filter((r): r is string => typeof r === 'string'), ...lifted])];
      changes.push('moved draft-3 required flags into required');
    }
  }
  if (node.required !== undefined && !isStringArray(node.required)) {
    delete node.required;
    changes.push('removed a required that was not a list of names');
  }
  // Draft 7 tuples: items as a list, additionalItems for the rest.
  if (Array.isArray(node.items)) {
    node.prefixItems = node.items;
    if ('additionalItems' in node) {
      node.items = node.additionalItems;
      delete node.additionalItems;
    } else {
      delete node.items;
    }
    changes.push('rewrote tuple items as prefixItems');
  }
  if (declaresArray(node) && node.items === undefined && node.prefixItems === undefined) {
    node.items = {};
    changes.push('gave an array schema its missing items');
  }
  return changes;
}

function declaresArray(node: SchemaObject): boolean {
  return node.type === 'array' || (Array.isArray(node.type) && node.type.includes('array'));
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
