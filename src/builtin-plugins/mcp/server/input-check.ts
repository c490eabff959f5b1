import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { JsonSchema } from '@nexus/plugin-sdk';

const require = createRequire(import.meta.url);

/**
 * Checks tool input against the tool's schema before the tool runs, as the agent runtime does
 * for the model's calls: a tool may rely on that. One ajv per server factory, created on first
 * use, one compiled validator per schema object.
 */
export class InputCheck {
  private ajv: Ajv2020 | undefined;
  private readonly compiled = new WeakMap<object, ValidateFunction>();

  /** `undefined` when `input` is valid (schema defaults are applied to it), else what is wrong. */
  problems(schema: JsonSchema, input: unknown): string | undefined {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.instance().compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(input)) return undefined;
    return (validate.errors ?? []).map(describe).join('; ');
  }

  private instance(): Ajv2020 {
    if (!this.ajv) {
      // ajv and ajv-formats are CommonJS; require keeps their default-export shape unambiguous.
      const Ajv = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020 }).default;
      const addFormats = (require('ajv-formats') as { default: (ajv: Ajv2020) => void }).default;
      this.ajv = new Ajv({ allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true });
      addFormats(this.ajv);
    }
    return this.ajv;
  }
}

function describe(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'input' : `input${error.instancePath}`;
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${where} is missing the required property "${String(params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties') return `${where} has an unexpected property "${String(params.additionalProperty)}"`;
  return `${where} ${error.message ?? `fails ${error.keyword}`}`;
}
