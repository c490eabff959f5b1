import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Type, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import semver from 'semver';

const require = createRequire(import.meta.url);

export type { ErrorObject, ValidateFunction };

/**
 * One ajv instance per kernel, created on first use: most CLI runs hit the discovery index and
 * never compile a schema, and ajv costs tens of milliseconds to load.
 */
export class SchemaCompiler {
  private ajvInstance: Ajv2020Type | undefined;
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

function createAjv(): Ajv2020Type {
  // ajv and ajv-formats are CommonJS; require keeps their default-export shape unambiguous.
  const Ajv2020 = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020Type }).default;
  const addFormats = (require('ajv-formats') as { default: (ajv: Ajv2020Type) => void }).default;
  const ajv = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true, verbose: true });
  addFormats(ajv);
  ajv.addFormat('semver', { type: 'string', validate: (v: string) => semver.valid(v) !== null });
  ajv.addFormat('semver-range', { type: 'string', validate: (v: string) => semver.validRange(v) !== null });
  return ajv;
}
