import type { LoadedConfig } from '../config/index.js';
import { isCredentialKey, joinPointer, maskUrlSecrets, urlSecrets, valueAt } from '../schema/index.js';

type Schema = Record<string, unknown>;

export interface ResolvedValue {
  readonly pointer: string;
  /** `file`, `profile <name>`, `env NEXUS_X` or `default`. */
  readonly origin: string;
  readonly secret: boolean;
}

export interface ResolvedConfig {
  /** The values, secrets replaced by a marker. */
  readonly values: Record<string, unknown>;
  /** One entry per leaf value, in document order. */
  readonly leaves: readonly ResolvedValue[];
}

export const REDACTED = '[redacted]';

/**
 * What `config show` prints: every leaf value with where it came from, secrets withheld. A
 * secret is a value whose schema says `writeOnly`, or whose key names a credential; in any other
 * value that is a URL, only the credentials are masked (`user:***@`, `?password=***`). With
 * `effective`, schema defaults are included and marked `default`.
 */
export function resolveValues(config: LoadedConfig, effective: Readonly<Record<string, unknown>>, schema: Schema, options: { readonly effective: boolean }): ResolvedConfig {
  const leaves: ResolvedValue[] = [];
  const source = options.effective ? { ...config.data, ...effective } : config.data;

  const walk = (value: unknown, node: Schema | undefined, path: string[], secretAbove: boolean): unknown => {
    const pointer = joinPointer(...path);
    const secret = secretAbove || node?.writeOnly === true || isCredentialKey(path[path.length - 1] ?? '');
    if (value !== null && typeof value === 'object') {
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
      for (const [key, child] of entries) {
        const childSchema = childOf(node, key, Array.isArray(value));
        (out as Record<string, unknown>)[key] = walk(child, childSchema, [...path, key], secret);
      }
      return out;
    }
    const origin = config.originOf(pointer) ?? 'default';
    if (!options.effective && origin === 'default') return value;
    leaves.push({ pointer, origin, secret });
    if (secret && value !== '' && value !== undefined) return REDACTED;
    // A URL is shown with only its credentials masked: `memory` or a host name is no secret.
    return typeof value === 'string' ? maskUrlSecrets(value) : value;
  };

  const values = walk(source, schema, [], false) as Record<string, unknown>;
  return { values, leaves };
}

/** The secret values in a config: what `resolveValues` withholds, for scrubbing logs. */
export function secretValues(config: LoadedConfig, effective: Readonly<Record<string, unknown>>, schema: Schema): unknown[] {
  const data = { ...config.data, ...effective };
  return resolveValues(config, effective, schema, { effective: true }).leaves.flatMap((leaf) => {
    const value = valueAt(data, leaf.pointer);
    return [...(leaf.secret ? [value] : []), ...(typeof value === 'string' ? urlSecrets(value) : [])];
  });
}

function childOf(node: Schema | undefined, key: string, inArray: boolean): Schema | undefined {
  if (!node) return undefined;
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf as Schema[]) {
      const found = childOf(part, key, inArray);
      if (found) return found;
    }
  }
  if (inArray) return node.items as Schema | undefined;
  const properties = node.properties as Record<string, Schema> | undefined;
  if (properties?.[key]) return properties[key];
  return typeof node.additionalProperties === 'object' ? (node.additionalProperties as Schema) : undefined;
}
