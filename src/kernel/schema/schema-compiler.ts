import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Ajv2020 as Ajv2020Type, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import valid from 'semver/functions/valid.js';
import validRange from 'semver/ranges/valid.js';
import { ajvModules } from '../lazy/index.js';

export type { ErrorObject, ValidateFunction };

export type Validation =
  | { readonly valid: true; readonly value: unknown }
  | { readonly valid: false; readonly value: unknown; readonly errors: readonly ErrorObject[] };

/** Remembers inputs that validated, with the defaults the schema added to them. */
export interface ValidationCache {
  known(key: string): { readonly value: unknown } | undefined;
  remember(key: string, value: unknown): void;
}

/**
 * One ajv instance per kernel, created on first use. With a cache, input that validated before
 * (same schema, same data) is answered from it, so a warm start never loads ajv: it costs tens
 * of milliseconds and several megabytes.
 */
export class SchemaCompiler {
  private ajvInstance: Ajv2020Type | undefined;

  constructor(private readonly results?: ValidationCache) {}

  private readonly cache = new WeakMap<object, ValidateFunction>();
  private readonly fileCache = new Map<string, ValidateFunction>();

  get ajv(): Ajv2020Type {
    this.ajvInstance ??= createAjv();
    return this.ajvInstance;
  }

  /** Compiles `schema` once per schema object. Throws with ajv's message if the schema is invalid. */
  compile(schema: object): ValidateFunction {
    let validate = this.cache.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.cache.set(schema, validate);
    }
    return validate;
  }

  /**
   * Compiles a schema file shipped with the host, or one of its `$defs` (`definition`), once.
   * The file's `$id` is dropped so several definitions of one file can coexist in one ajv.
   */
  compileFile(path: string, definition?: string): ValidateFunction {
    const key = `${path}#${definition ?? ''}`;
    let validate = this.fileCache.get(key);
    if (!validate) {
      const { $id: _id, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      validate = this.ajv.compile(definition ? { $defs: schema.$defs, $ref: `#/$defs/${definition}` } : schema);
      this.fileCache.set(key, validate);
    }
    return validate;
  }

  /** Validates a copy of `data` against `schema`, applying its defaults to the copy. Throws if the schema is invalid. */
  validate(schema: object, data: unknown): Validation {
    return this.run(JSON.stringify(schema), () => this.compile(schema), data);
  }

  /** Like `validate`, for a schema file shipped with the host (see `compileFile`). */
  validateFile(path: string, definition: string | undefined, data: unknown): Validation {
    return this.run(`${path}#${definition ?? ''}`, () => this.compileFile(path, definition), data);
  }

  private run(schemaKey: string, compile: () => ValidateFunction, data: unknown): Validation {
    const key = this.results ? createHash('sha256').update(schemaKey).update('\u0000').update(JSON.stringify(data) ?? 'undefined').digest('base64url') : undefined;
    const hit = key !== undefined ? this.results?.known(key) : undefined;
    if (hit) return { valid: true, value: applyDefaults(structuredClone(data), hit.value as AddedDefault[]) };
    const value = structuredClone(data);
    const validate = compile();
    if (!validate(value)) return { valid: false, value, errors: validate.errors ?? [] };
    // Only what the schema added is cached, never the input itself: config holds secrets.
    if (key !== undefined) this.results?.remember(key, addedDefaults(data, value));
    return { valid: true, value };
  }

  /** Whether `schema` is itself a valid JSON Schema; the reason when it is not. */
  checkSchema(schema: object): string | undefined {
    try {
      this.compile(schema);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }
}

type AddedDefault = readonly [path: readonly string[], value: unknown];

/** The values present in `output` but not in `input`: the defaults validation filled in. */
function addedDefaults(input: unknown, output: unknown, path: readonly string[] = []): AddedDefault[] {
  if (!isContainer(input) || !isContainer(output)) return [];
  return Object.entries(output).flatMap(([key, value]): AddedDefault[] =>
    key in input ? addedDefaults((input as Record<string, unknown>)[key], value, [...path, key]) : [[[...path, key], value]],
  );
}

function applyDefaults(data: unknown, added: readonly AddedDefault[]): unknown {
  for (const [path, value] of added) {
    let target = data as Record<string, unknown>;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[path[path.length - 1]!] = structuredClone(value);
  }
  return data;
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function createAjv(): Ajv2020Type {
  const { Ajv2020, addFormats } = ajvModules();
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  ajv.addFormat('semver', { type: 'string', validate: (v: string) => valid(v) !== null });
  ajv.addFormat('semver-range', { type: 'string', validate: (v: string) => validRange(v) !== null });
  return ajv;
}
