import type { ErrorObject } from 'ajv/dist/2020.js';
import { DURATION_PATTERN } from '@nexus/plugin-sdk';
import { isCredentialKey } from './credential-key.js';
import { didYouMean } from './did-you-mean.js';
import { joinPointer, valueAt } from './json-pointer.js';

/** One schema violation, in words a user can act on. */
export interface SchemaViolation {
  /** JSON pointer to the offending value (or, for an unknown key, to that key). */
  readonly pointer: string;
  readonly message: string;
  readonly hint?: string;
  /** True when `pointer` names a key rather than a value (unknown or misspelt keys). */
  readonly atKey: boolean;
}

/** Turns ajv errors into violations, dropping the noise ajv emits around `oneOf`/`anyOf`. */
export function describeSchemaErrors(errors: readonly ErrorObject[] | null | undefined, data: unknown): SchemaViolation[] {
  if (!errors) return [];
  const seen = new Set<string>();
  const violations: SchemaViolation[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const violation = describe(error, data);
    const key = `${violation.pointer}\u0000${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push(violation);
  }
  return violations;
}

/**
 * Secrets never appear in messages: a value is withheld when its schema marks it `writeOnly`
 * (the JSON Schema way to say "never shown back") or its key names a credential.
 */

function isSecret(error: ErrorObject, pointer: string): boolean {
  const schema = error.parentSchema as { writeOnly?: unknown } | undefined;
  // Any credential-named key on the way down: `tokens/0` is as secret as `token`.
  return schema?.writeOnly === true || pointer.split('/').some(isCredentialKey);
}

function describe(error: ErrorObject, data: unknown): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  // A bad key (propertyNames) is reported against the parent object; point at the key itself,
  // and show only the key: the object may hold secrets.
  const badKey = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (badKey !== undefined) {
    const rule = error.keyword === 'pattern' ? ` (the allowed pattern is ${String(params.pattern)})` : '';
    return { pointer: error.instancePath + joinPointer(badKey), message: `the key "${badKey}" is not allowed here${rule}`, atKey: true };
  }
  const pointer = error.instancePath;
  const shown = (value: unknown) => (isSecret(error, pointer) ? '(value withheld: it is a secret)' : JSON.stringify(value));
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = didYouMean(key, known);
      return {
        pointer: pointer + joinPointer(key),
        message: `unknown key "${key}"`,
        hint: suggestion
          ? `did you mean "${suggestion}"?`
          : known.length > 0
            ? `allowed keys here: ${known.join(', ')}`
            : 'remove it',
        atKey: true,
      };
    }
    case 'required':
      return { pointer, message: `missing required key "${String(params.missingProperty)}"`, atKey: false };
    case 'type':
      return {
        pointer,
        message: `expected ${String(params.type).replace(/,/g, ' or ')}, found ${isSecret(error, pointer) ? typeof valueAt(data, pointer) : kindOf(valueAt(data, pointer))}`,
        atKey: false,
      };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      const found = valueAt(data, pointer);
      const suggestion = typeof found === 'string' && !isSecret(error, pointer) ? didYouMean(found, (params.allowedValues as unknown[]).map(String)) : undefined;
      return {
        pointer,
        message: `must be one of ${allowed.join(', ')}, found ${shown(found)}`,
        hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
        atKey: false,
      };
    }
    case 'const':
      return { pointer, message: `must be ${JSON.stringify(params.allowedValue)}`, atKey: false };
    case 'pattern':
      // Every duration setting shares the SDK's pattern; a regex is no help to someone who wrote "5 minutes".
      if (params.pattern === DURATION_PATTERN) {
        return { pointer, message: `${shown(valueAt(data, pointer))} is not a duration`, hint: 'use e.g. 30s, 5m, 1h: a number and ms, s, m, h or d; parts may be combined (1h30m)', atKey: false };
      }
      return {
        pointer,
        message: `${shown(valueAt(data, pointer))} does not match the pattern ${String(params.pattern)}`,
        atKey: false,
      };
    case 'format':
      return {
        pointer,
        message: `${shown(valueAt(data, pointer))} is not a valid ${String(params.format)}`,
        atKey: false,
      };
    default:
      return { pointer, message: error.message ?? `fails the "${error.keyword}" rule`, atKey: false };
  }
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value;
}
