import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from '@nexus/plugin-sdk';

const require = createRequire(import.meta.url);

export type InputCheck = { readonly ok: true; readonly input: unknown } | { readonly ok: false; readonly problems: string };

/**
 * Validates tool input against the tool's JSON Schema (draft 2020-12) before the tool runs.
 * One ajv instance per runtime, created on the first call, and one compiled validator per
 * schema object. Input is validated on a copy so schema defaults reach the tool without
 * touching the model's original call.
 */
export class ToolInputValidator {
  private ajvInstance: Ajv2020 | undefined;
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  /** Compiles `schema`; returns why it is not a usable JSON Schema, if it is not. */
  schemaProblem(schema: JsonSchema): string | undefined {
    try {
      this.validator(schema);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  check(schema: JsonSchema, input: unknown): InputCheck {
    const validate = this.validator(schema);
    const copy = input === undefined ? undefined : structuredClone(input);
    if (validate(copy)) return { ok: true, input: copy };
    return { ok: false, problems: (validate.errors ?? []).map(describe).join('; ') };
  }

  private validator(schema: JsonSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv().compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  private ajv(): Ajv2020 {
    if (!this.ajvInstance) {
      // ajv and ajv-formats are CommonJS; require keeps their default-export shape unambiguous.
      const Ajv = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020 }).default;
      const addFormats = (require('ajv-formats') as { default: (ajv: Ajv2020) => void }).default;
      this.ajvInstance = new Ajv({ allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true });
      addFormats(this.ajvInstance);
    }
    return this.ajvInstance;
  }
}

/** One problem, phrased for the model, which has to correct its call from this text alone. */
function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'input' : `input${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${where} is missing the required property "${String(params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties') return `${where} has an unexpected property "${String(params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where} must be one of ${JSON.stringify(params.allowedValues)}`;
  return `${where} ${error.message ?? `fails ${error.keyword}`}`;
}
