import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createToken, ConfigToken } from '@nexus/plugin-sdk';
import { Kernel, loadConfigFile, MemoryLogger } from '../../src/kernel/index.js';
import { tempDir, testKernel, writeFile, writePlugin } from '../helpers/fixtures.js';

const searchSection = {
  section: 'search',
  schema: {
    type: 'object',
    additionalProperties: false,
    default: {},
    properties: {
      engine: { enum: ['searxng', 'brave'], default: 'searxng' },
      limits: { type: 'object', additionalProperties: false, default: {}, properties: { results: { type: 'integer', minimum: 1, default: 5 } } },
      api_token: { type: 'string', writeOnly: true },
    },
  },
};

function sectionPlugin(root: string, id = 'search', extra: Record<string, unknown> = {}) {
  return writePlugin(root, {
    id,
    manifest: { contributes: { configSections: [searchSection], services: [{ name: `test.${id}` }] }, ...extra },
    entry: `import { definePlugin, createToken, ConfigToken } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.provide(createToken('test.${id}')).toDynamicValue((c) => c.get(ConfigToken).section('search')); } });`,
  });
}

function kernelFor(root: string, yaml: string, extra: object = {}) {
  const file = writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(join(root, 'plugins'))}]\n${yaml}`);
  return new Kernel({ config: loadConfigFile(file, { env: {} }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger(), ...extra });
}

describe('config sections', () => {
  it('gives the owner its section with schema defaults applied', async () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'));
    const kernel = kernelFor(root, 'search:\n  engine: brave\n');
    expect(await kernel.services.get(createToken('test.search'))).toEqual({ engine: 'brave', limits: { results: 5 } });
    expect(kernel.settings.section('search')).toEqual({ engine: 'brave', limits: { results: 5 } });
  });

  it('applies defaults to a section the file leaves out', () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'));
    expect(kernelFor(root, '').settings.section('search')).toEqual({ engine: 'searxng', limits: { results: 5 } });
  });

  it('rejects unknown keys at every level, with position, pointer and a suggestion', () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'));
    const kernel = kernelFor(root, 'serch:\n  engine: brave\nsearch:\n  limits:\n    reslts: 3\nlogging:\n  levl: debug\n');
    const kernelProblems = kernel.diagnostics();
    expect(kernelProblems).toContainEqual(
      expect.objectContaining({ code: 'config.unknown-section', message: 'unknown section "serch": no installed plugin provides it', hint: 'did you mean "search"?', source: expect.objectContaining({ line: 4, column: 1 }) }),
    );
    expect(kernelProblems).toContainEqual(expect.objectContaining({ message: '/logging/levl: unknown key "levl"', hint: 'did you mean "level"?', source: expect.objectContaining({ line: 10, column: 3 }) }));
    const owner = kernel.record('search')!;
    expect(owner.state).toBe('quarantined');
    expect(owner.diagnostics).toContainEqual(
      expect.objectContaining({ pluginId: 'search', message: '/search/limits/reslts: unknown key "reslts"', hint: 'did you mean "results"?', source: expect.objectContaining({ line: 8, column: 5, pointer: '/search/limits/reslts' }) }),
    );
  });

  it('names the expected type and the value found, but never a secret', () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'));
    const kernel = kernelFor(root, 'search:\n  engine: bing\n  limits: { results: "ten" }\n  api_token: 12345\n');
    const messages = kernel.record('search')!.diagnostics.map((d) => d.message);
    expect(messages).toContain('/search/engine: must be one of "searxng", "brave", found "bing"');
    expect(messages).toContain('/search/limits/results: expected integer, found string "ten"');
    expect(messages).toContain('/search/api_token: expected string, found number');
    expect(messages.join('\n')).not.toContain('12345');
  });

  it('only warns about the section of a disabled plugin, and serves the rest', async () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'), 'search', { enabledByDefault: false });
    writePlugin(join(root, 'plugins'), { id: 'other', manifest: { activation: ['onStartup'] } });
    const kernel = kernelFor(root, 'search:\n  engine: bing\n');
    expect(kernel.record('search')!.diagnostics[0]).toMatchObject({ level: 'warning', code: 'config.invalid' });
    expect((await kernel.start()).active).toEqual(['other']);
  });

  it('quarantines the owner of a bad section and starts the rest; refuses to start on a bad kernel section', async () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'), 'search', { activation: ['onStartup'] });
    writePlugin(join(root, 'plugins'), { id: 'other', manifest: { activation: ['onStartup'] } });
    const report = await kernelFor(root, 'search:\n  engine: bing\n').start();
    expect(report).toMatchObject({ active: ['other'], failed: ['search'] });
    await expect(kernelFor(root, 'logging:\n  level: loud\n').start()).rejects.toThrow(/\/logging\/level: must be one of/);
  });

  it('refuses to start when the bad section belongs to a required plugin', async () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'));
    const kernel = kernelFor(root, '  entries:\n    search:\n      required: true\nsearch:\n  engine: bing\n');
    await expect(kernel.start()).rejects.toThrow(/required plugin search: \/search\/engine: must be one of/);
  });

  it('gives each section exactly one owner', () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'), 'search');
    sectionPlugin(join(root, 'plugins'), 'search-two');
    writePlugin(join(root, 'plugins'), { id: 'greedy', manifest: { contributes: { configSections: [{ section: 'plugins', schema: {} }, { section: 'channels', schema: {} }] } } });
    const kernel = kernelFor(root, '');
    expect(kernel.record('search-two')!.diagnostics[0]).toMatchObject({ code: 'manifest.section-conflict', message: 'config section "search" is already owned by search' });
    expect(kernel.record('greedy')!.diagnostics.map((d) => d.message)).toEqual([
      'config section "plugins" is already owned by the kernel',
      '"channels" is a composite section: contribute a key inside it, such as "channels.greedy"',
    ]);
  });

  it('composes channel keys from the plugins that own them', () => {
    const root = tempDir();
    writePlugin(join(root, 'plugins'), {
      id: 'chat',
      manifest: { contributes: { configSections: [{ section: 'channels.chat', schema: { type: 'object', additionalProperties: false, properties: { token: { type: 'string' }, rate: { type: 'integer', default: 30 } } } }] } },
    });
    const kernel = kernelFor(root, 'channels:\n  chat:\n    token: t\n  telegram:\n    bot_token: x\n');
    expect(kernel.settings.section('channels')).toEqual({ chat: { token: 't', rate: 30 }, telegram: { bot_token: 'x' } });
    expect(kernel.diagnostics()).toContainEqual(
      expect.objectContaining({ code: 'config.unknown-section', message: 'unknown key "channels.telegram": no installed plugin provides channels "telegram"' }),
    );
    const schema = kernel.configSchema() as { properties: Record<string, { properties?: Record<string, unknown> }> };
    expect(Object.keys(schema.properties.channels!.properties!)).toEqual(['chat']);
    expect(ConfigToken).toBeTypeOf('symbol');
  });
});

describe('reload', () => {
  it('rejects an invalid new config and keeps the old one running', async () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'), 'search', { activation: ['onStartup'] });
    const kernel = testKernel({ loadPaths: [join(root, 'plugins')] }).kernel;
    await kernel.start();
    const before = kernel.config;
    const bad = writeFile(join(root, 'bad.yaml'), 'logging:\n  level: shout\n');
    const report = await kernel.reconfigure(loadConfigFile(bad, { env: {} }));
    expect(report.applied).toBe(false);
    expect(report.diagnostics[0]!.message).toContain('/logging/level');
    expect(kernel.config).toBe(before);
    expect(kernel.record('search')!.state).toBe('active');
  });

  it('restarts only the plugins whose slice changed', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    for (const id of ['search', 'steady']) {
      writePlugin(join(root, 'plugins'), {
        id,
        manifest: id === 'search' ? { activation: ['onStartup'], contributes: { configSections: [searchSection] } } : { activation: ['onStartup'] },
        entry: `import { appendFileSync } from 'node:fs'; import { definePlugin, ConfigToken } from '@nexus/plugin-sdk';
export default definePlugin({ activate(ctx) { appendFileSync(${JSON.stringify(log)}, '${id}:' + JSON.stringify(ctx.settings.section('search')?.engine ?? null) + '\\n'); } });`,
      });
    }
    const write = (engine: string) => writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(join(root, 'plugins'))}]\nsearch:\n  engine: ${engine}\n`);
    const kernel = new Kernel({ config: loadConfigFile(write('brave'), { env: {} }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    await kernel.start();
    const report = await kernel.reconfigure(loadConfigFile(write('searxng'), { env: {} }));
    expect(report).toMatchObject({ applied: true, restarted: ['search'], stopped: [], started: [] });
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['search:"brave"', 'search:"searxng"', 'steady:"brave"']);
    expect(kernel.record('steady')!.state).toBe('active');
    await kernel.stop();
  });
});

describe('secrets in logs', () => {
  it('scrubs every schema-marked secret and credential-named field from every log line', async () => {
    const root = tempDir();
    writePlugin(join(root, 'plugins'), {
      id: 'leaky',
      manifest: { activation: ['onStartup'], contributes: { configSections: [searchSection] } },
      entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ activate(ctx) {
  const token = ctx.settings.section('search').api_token;
  ctx.logger.info('connecting with ' + token, { attempt: 1, headers: { authorization: 'Bearer xyz123456' }, url: 'https://x/?t=' + token });
} });`,
    });
    const logger = new MemoryLogger();
    const file = writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(join(root, 'plugins'))}]\nsearch:\n  api_token: tok-very-secret-1\n`);
    const kernel = new Kernel({ config: loadConfigFile(file, { env: {} }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger });
    await kernel.start();
    await kernel.stop();
    const line = logger.entries.find((e) => e.msg.startsWith('connecting'))!;
    expect(line.msg).toBe('connecting with [redacted]');
    expect(line.fields).toMatchObject({ attempt: 1, pluginId: 'leaky', headers: { authorization: '[redacted]' }, url: 'https://x/?t=[redacted]' });
    expect(JSON.stringify(logger.entries)).not.toContain('tok-very-secret-1');
  });
});

describe('found in review (config)', () => {
  it('a plugin whose section schema does not compile fails alone; listing and starting go on', async () => {
    const root = tempDir();
    writePlugin(join(root, 'plugins'), { id: 'broken-schema', manifest: { contributes: { configSections: [{ section: 'weird', schema: { type: 'nonsense' } }] } } });
    writePlugin(join(root, 'plugins'), { id: 'fine', manifest: { activation: ['onStartup'] } });
    const kernel = kernelFor(root, 'weird: {}\n');
    expect(kernel.record('broken-schema')).toMatchObject({ state: 'failed' });
    expect(kernel.record('broken-schema')!.diagnostics[0]!.code).toBe('manifest.invalid-config-schema');
    expect((await kernel.start()).active).toEqual(['fine']);
  });

  it('rejects a reload that would leave a required plugin unable to run', async () => {
    const root = tempDir();
    sectionPlugin(join(root, 'plugins'), 'search', { activation: ['onStartup'] });
    const write = (engine: string) =>
      writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(join(root, 'plugins'))}]\n  entries:\n    search:\n      required: true\nsearch:\n  engine: ${engine}\n`);
    const kernel = new Kernel({ config: loadConfigFile(write('brave'), { env: {} }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    await kernel.start();
    const report = await kernel.reconfigure(loadConfigFile(write('bing'), { env: {} }));
    expect(report.applied).toBe(false);
    expect(report.diagnostics[0]!.message).toContain('required plugin search');
    expect(kernel.record('search')!.state).toBe('active');
    await kernel.stop();
  });

  it('restarts the active plugins that require a restarted one', async () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    sectionPlugin(join(root, 'plugins'), 'search', { activation: ['onStartup'] });
    writePlugin(join(root, 'plugins'), {
      id: 'user',
      manifest: { activation: ['onStartup'], requires: { search: '*' } },
      entry: `import { appendFileSync } from 'node:fs'; import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ activate() { appendFileSync(${JSON.stringify(log)}, 'user\\n'); } });`,
    });
    const write = (engine: string) => writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(join(root, 'plugins'))}]\nsearch:\n  engine: ${engine}\n`);
    const kernel = new Kernel({ config: loadConfigFile(write('brave'), { env: {} }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    await kernel.start();
    const report = await kernel.reconfigure(loadConfigFile(write('searxng'), { env: {} }));
    expect([...report.restarted].sort()).toEqual(['search', 'user']);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8')).toBe('user\nuser\n');
    await kernel.stop();
  });
});

describe('reload gives failed plugins a fresh chance', () => {
  it('starts a plugin whose config was invalid once the reloaded config fixes it', async () => {
    const root = tempDir();
    writePlugin(join(root, 'plugins'), {
      id: 'strict',
      manifest: { activation: ['onStartup'], configSchema: { type: 'object', required: ['token'], properties: { token: { type: 'string' } } } },
    });
    const write = (entries: string) => writeFile(join(root, 'nexus.yaml'), `plugins:\n  load:\n    paths: [${JSON.stringify(join(root, 'plugins'))}]\n${entries}`);
    const kernel = new Kernel({ config: loadConfigFile(write(''), { env: {} }), home: tempDir(), workspaceDir: root, builtinDirs: [], packageDirs: [], logger: new MemoryLogger() });
    expect((await kernel.start()).failed).toEqual(['strict']);
    const report = await kernel.reconfigure(loadConfigFile(write('  entries:\n    strict:\n      config:\n        token: abc\n'), { env: {} }));
    expect(report).toMatchObject({ applied: true, started: ['strict'] });
    expect(kernel.record('strict')!.state).toBe('active');
    await kernel.stop();
  });
});
