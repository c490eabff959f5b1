import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { valid, validRange } from 'semver';
import { describe, expect, it } from 'vitest';
import type { Ajv2020 as Ajv2020Type } from 'ajv/dist/2020.js';

const repo = join(import.meta.dirname, '../..');
const shipped = join(repo, 'plugin-sdk/manifest.schema.json');
const require = createRequire(import.meta.url);

/** What an editor does with `"$schema"`: a plain draft 2020-12 validator, with the two formats the schema names. */
function editorValidator(): Ajv2020Type {
  const { Ajv2020 } = require('ajv/dist/2020.js') as { Ajv2020: new (options: object) => Ajv2020Type };
  const addFormats = require('ajv-formats') as (ajv: Ajv2020Type) => void;
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addFormat('semver', { type: 'string', validate: (v: string) => valid(v) !== null });
  ajv.addFormat('semver-range', { type: 'string', validate: (v: string) => validRange(v) !== null });
  return ajv;
}

function manifests(): string[] {
  const under = (dir: string) => readdirSync(dir).map((name) => join(dir, name, 'nexus.plugin.json')).filter(existsSync);
  return [...under(join(repo, 'src/builtin-plugins')), ...under(join(repo, 'examples/plugins'))];
}

describe('the manifest JSON Schema the SDK ships', () => {
  it('is the kernel schema, copied by the SDK build', () => {
    expect(existsSync(shipped), 'plugin-sdk/manifest.schema.json is missing: run `npm run build`').toBe(true);
    expect(readFileSync(shipped, 'utf8')).toBe(readFileSync(join(repo, 'schemas/plugin-manifest.schema.json'), 'utf8'));
  });

  it('validates every built-in and example manifest, each of which names a schema file that exists', () => {
    const validate = editorValidator().compile(JSON.parse(readFileSync(shipped, 'utf8')) as object);
    const files = manifests();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { $schema?: string };
      const where = relative(repo, file);
      expect(validate(manifest) ? [] : validate.errors, where).toEqual([]);
      expect(manifest.$schema, `${where} has no "$schema"`).toMatch(/manifest\.schema\.json$/);
      const target = resolve(dirname(file), manifest.$schema!);
      expect(existsSync(target), `${where}: "$schema" points at ${target}, which does not exist`).toBe(true);
      expect(readFileSync(target, 'utf8'), `${where}: "$schema" points at another schema`).toBe(readFileSync(shipped, 'utf8'));
    }
  });

  it('rejects what the kernel rejects: a misspelt contribution kind and a bad engines range', () => {
    const validate = editorValidator().compile(JSON.parse(readFileSync(shipped, 'utf8')) as object);
    expect(validate({ id: 'x', name: 'X', version: '1.0.0', contributes: { tool: [] } })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/contributes', keyword: 'additionalProperties', params: { additionalProperty: 'tool' } }));
    expect(validate({ id: 'x', name: 'X', version: '1.0.0', engines: { nexus: 'not a range' } })).toBe(false);
    expect(validate.errors).toContainEqual(expect.objectContaining({ instancePath: '/engines/nexus', keyword: 'format' }));
  });
});
