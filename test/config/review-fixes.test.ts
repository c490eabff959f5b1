import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromData, Kernel, MemoryLogger } from '../../src/kernel/index.js';
import { resolveValues, secretValues } from '../../src/kernel/settings/index.js';
import { tempDir, testKernel, writePlugin } from '../helpers/fixtures.js';

describe('second review', () => {
  it('reports a bad key by name, never dumping the object around it', () => {
    const { kernel } = testKernel({ plugins: { entries: { My_Plugin: { config: { api_key: 'sk-live-VERYSECRET' } } } } });
    const text = JSON.stringify(kernel.diagnostics());
    expect(text).not.toContain('VERYSECRET');
    expect(kernel.diagnostics()).toContainEqual(
      expect.objectContaining({ code: 'config.invalid', message: expect.stringContaining('/plugins/entries/My_Plugin: the key "My_Plugin" is not allowed here') }),
    );
  });

  it('treats plural credential keys and URL passwords as secrets', () => {
    const config = configFromData({ llm: { providers: { x: { base_url: 'https://user:URLPASS@example.com/v1' } } }, tools: { api_keys: ['k-123456'] } });
    const shown = JSON.stringify(resolveValues(config, {}, {}, { effective: false }).values);
    expect(shown).not.toContain('URLPASS');
    expect(shown).toContain('https://user:***@example.com/v1');
    expect(shown).not.toContain('k-123456');
  });

  it('shows a database url as written, masking only the credentials inside it', () => {
    // The built-in plugins, for the storage plugin's database section.
    const kernel = new Kernel({ config: configFromData({}), home: tempDir(), workspaceDir: tempDir(), packageDirs: [], logger: new MemoryLogger() });
    expect(kernel.configSchema()).toHaveProperty('properties.database');
    const shown = (url: string) => {
      const config = configFromData({ database: { url } });
      return (resolveValues(config, {}, kernel.configSchema(), { effective: false }).values.database as { url: string }).url;
    };
    expect(shown('memory')).toBe('memory');
    expect(shown('postgres://nexus:PW@db.internal:5432/nexus?sslmode=require&sslpassword=KEYPW&application_name=nexus')).toBe(
      'postgres://nexus:***@db.internal:5432/nexus?sslmode=require&sslpassword=***&application_name=nexus',
    );
    const config = configFromData({ database: { url: 'postgres://nexus:PW@db/nexus?password=QPW' } });
    expect(secretValues(config, {}, kernel.configSchema())).toEqual(expect.arrayContaining(['PW', 'QPW']));
  });

  it('keeps the discovery index private to its owner', () => {
    const root = tempDir();
    writePlugin(root, { id: 'p' });
    const { kernel, home } = testKernel({ loadPaths: [root] });
    kernel.list();
    expect(statSync(join(home, 'cache', 'discovery-index.json')).mode & 0o777).toBe(0o600);
  });

  it('does not leave a plugin running when stop gives up waiting for its activation', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, {
      id: 'slowpoke',
      entry: `import { appendFileSync } from 'node:fs'; import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({
  activate: () => new Promise((resolve) => setTimeout(() => { appendFileSync(${JSON.stringify(log)}, 'activated\\n'); resolve(); }, 300)),
  deactivate() { appendFileSync(${JSON.stringify(log)}, 'deactivated\\n'); },
});`,
    });
    const kernel = new Kernel({ config: configFromData({ plugins: { load: { paths: [root] } } }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger(), timeouts: { stopMs: 100 } });
    const activation = kernel.activate('slowpoke', 'test').catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    await kernel.stop();
    await activation;
    const { readFileSync } = await import('node:fs');
    // Whichever finished first, the plugin was deactivated and is not left active.
    expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['activated', 'deactivated']);
    expect(kernel.record('slowpoke')!.state).not.toBe('active');
  });

  it('finishes in-flight activations before a reload swaps the config', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, {
      id: 'lazy',
      manifest: { configSchema: { type: 'object', properties: { n: { type: 'integer' } } } },
      entry: `import { appendFileSync } from 'node:fs'; import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({
  activate: (ctx) => new Promise((resolve) => setTimeout(() => { appendFileSync(${JSON.stringify(log)}, 'up ' + ctx.config.n + '\\n'); resolve(); }, 100)),
  deactivate(ctx) { appendFileSync(${JSON.stringify(log)}, 'down ' + ctx.config.n + '\\n'); },
});`,
    });
    const config = (n: number) => configFromData({ plugins: { load: { paths: [root] }, entries: { lazy: { config: { n } } } } });
    const kernel = new Kernel({ config: config(1), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    const first = kernel.activate('lazy', 'test');
    const report = await kernel.reconfigure(config(2));
    await first;
    expect(report.restarted).toEqual(['lazy']);
    await kernel.stop();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['up 1', 'down 1', 'up 2', 'down 2']);
  });
});

describe('reload and constructor injection', () => {
  it('makes a provider enabled by a reload injectable', async () => {
    const root = tempDir();
    writePlugin(root, {
      id: 'provider',
      manifest: { contributes: { services: [{ name: 'test.late' }] } },
      entry: `import { definePlugin, createToken } from '@nexus/plugin-sdk'; export default definePlugin({ register(ctx) { ctx.provide(createToken('test.late')).toConstantValue('late'); } });`,
    });
    writePlugin(root, { id: 'other', manifest: { activation: ['onStartup'] } });
    const config = (enabled: boolean) => configFromData({ plugins: { load: { paths: [root] }, entries: { provider: { enabled } } } });
    const kernel = new Kernel({ config: config(false), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    await kernel.start();
    await kernel.reconfigure(config(true));
    await kernel.services.get(Symbol.for('test.late'));
    expect((await kernel.root()).get(Symbol.for('test.late'))).toBe('late');
    await kernel.stop();
  });
});
