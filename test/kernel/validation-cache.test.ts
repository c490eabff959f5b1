import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SchemaCompiler, type ValidationCache } from '../../src/kernel/schema/index.js';
import { tempDir, testKernel, writePlugin } from '../helpers/fixtures.js';

const schema = {
  type: 'object',
  properties: {
    api_key: { type: 'string' },
    retry: { type: 'object', default: {}, properties: { times: { type: 'integer', default: 3 }, backoff: { type: 'string', default: 'exp' } } },
    name: { type: 'string', default: 'nexus' },
  },
};

function memoryCache(): ValidationCache & { store: Map<string, unknown> } {
  const store = new Map<string, unknown>();
  return { store, known: (k) => (store.has(k) ? { value: store.get(k) } : undefined), remember: (k, v) => void store.set(k, v) };
}

describe('validation cache', () => {
  it('answers repeat validations with the same defaults, without compiling again', () => {
    const cache = memoryCache();
    const input = { api_key: 'sk-live-123', retry: { times: 5 } };
    const first = new SchemaCompiler(cache).validate(schema, input);
    const warm = new SchemaCompiler(cache);
    const second = warm.validate(schema, input);
    expect(second).toEqual(first);
    expect(second).toEqual({ valid: true, value: { api_key: 'sk-live-123', retry: { times: 5, backoff: 'exp' }, name: 'nexus' } });
    // The warm compiler answered from the cache: it never created its validator.
    expect((warm as unknown as { ajvInstance?: unknown }).ajvInstance).toBeUndefined();
    expect(input).toEqual({ api_key: 'sk-live-123', retry: { times: 5 } });
  });

  it('stores only the defaults it added, never the input (config holds secrets)', () => {
    const root = tempDir();
    writePlugin(root, { id: 'keyed', manifest: { configSchema: schema } });
    const { kernel, home } = testKernel({ loadPaths: [root], plugins: { entries: { keyed: { config: { api_key: 'sk-live-SECRET' } } } } });
    expect(kernel.record('keyed')!.config).toEqual({ api_key: 'sk-live-SECRET', retry: { times: 3, backoff: 'exp' }, name: 'nexus' });
    const index = readFileSync(join(home, 'cache', 'discovery-index.json'), 'utf8');
    const added = Object.values((JSON.parse(index) as { validations: Record<string, string> }).validations).map((text) => JSON.parse(text) as unknown);
    expect(added).toContainEqual([[['retry'], { times: 3, backoff: 'exp' }], [['name'], 'nexus']]);
    expect(index).not.toContain('sk-live-SECRET');
  });

  it('never caches a failure', () => {
    const cache = memoryCache();
    expect(new SchemaCompiler(cache).validate(schema, { name: 7 }).valid).toBe(false);
    expect(cache.store.size).toBe(0);
  });
});
