import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir, testKernel, tracingEntry, writeFile, writePlugin } from '../helpers/fixtures.js';

describe('discovery', () => {
  it('accepts a plugin folder, a manifest file, and a folder of plugin folders in plugins.load.paths', () => {
    const root = tempDir();
    const single = writePlugin(join(root, 'a'), { id: 'alpha' });
    const viaFile = writePlugin(join(root, 'b'), { id: 'beta' });
    writePlugin(join(root, 'many'), { id: 'gamma' });
    writePlugin(join(root, 'many'), { id: 'delta' });
    const { kernel } = testKernel({ loadPaths: [single, join(viaFile, 'nexus.plugin.json'), join(root, 'many')] });
    expect(kernel.list().map((p) => p.id).sort()).toEqual(['alpha', 'beta', 'delta', 'gamma']);
    expect(kernel.list().every((p) => p.origin === 'config' && p.state === 'discovered' && p.enabled)).toBe(true);
  });

  it('searches built-ins, load paths, the workspace and installed packages, in that order', () => {
    const root = tempDir();
    const builtin = join(root, 'builtin');
    writePlugin(builtin, { id: 'core' });
    const configured = writePlugin(join(root, 'cfg'), { id: 'configured' });
    const workspace = join(root, 'ws');
    writePlugin(join(workspace, '.nexus', 'plugins'), { id: 'local' });
    const nodeModules = join(root, 'nm');
    writePlugin(nodeModules, { id: 'installed' });
    writePlugin(join(nodeModules, '@acme'), { id: 'acme/scoped' });
    writeFile(join(nodeModules, 'not-a-plugin', 'package.json'), '{}');
    const { kernel } = testKernel({
      loadPaths: [configured],
      kernel: { builtinDirs: [builtin], workspaceDir: workspace, packageDirs: [nodeModules] },
    });
    expect(kernel.list().map((p) => [p.id, p.origin])).toEqual([
      ['core', 'builtin'],
      ['configured', 'config'],
      ['local', 'workspace'],
      ['acme/scoped', 'installed'],
      ['installed', 'installed'],
    ]);
  });

  it('keeps the first copy of a duplicate id and names both paths in a diagnostic', () => {
    const root = tempDir();
    const first = writePlugin(join(root, 'one'), { id: 'twin', manifest: { version: '1.0.0' } });
    const second = writePlugin(join(root, 'two'), { id: 'twin', manifest: { version: '2.0.0' } });
    const { kernel } = testKernel({ loadPaths: [first, second] });
    const [twin] = kernel.list();
    expect(kernel.list()).toHaveLength(1);
    expect(twin!.version).toBe('1.0.0');
    const diagnostic = twin!.diagnostics.find((d) => d.code === 'plugin.duplicate-id');
    expect(diagnostic?.message).toContain(join(first, 'nexus.plugin.json'));
    expect(diagnostic?.message).toContain(join(second, 'nexus.plugin.json'));
  });

  it('lists a manifest that is not valid JSON under its folder name, failed, with the position of the error', () => {
    const root = tempDir();
    writeFile(join(root, 'broken-one', 'nexus.plugin.json'), '{\n  "id": "broken",\n  "name": "x",\n}\n');
    const { kernel } = testKernel({ loadPaths: [root] });
    const [broken] = kernel.list();
    expect(broken).toMatchObject({ id: 'broken-one', state: 'failed', version: null });
    expect(broken!.diagnostics[0]).toMatchObject({
      code: 'manifest.parse-error',
      source: { file: join(root, 'broken-one', 'nexus.plugin.json'), line: 4, column: 1 },
    });
  });

  it('reports schema violations with a JSON pointer, line:column and a did-you-mean for a misspelt key', () => {
    const root = tempDir();
    writeFile(
      join(root, 'bad', 'nexus.plugin.json'),
      JSON.stringify({ id: 'bad', name: 'Bad', version: 'one', main: './index.js', contributs: {} }, null, 2),
    );
    const { kernel } = testKernel({ loadPaths: [root] });
    const [bad] = kernel.list();
    expect(bad!.state).toBe('failed');
    const byPointer = Object.fromEntries(bad!.diagnostics.map((d) => [d.source?.pointer, d]));
    expect(byPointer['/version']).toMatchObject({ source: { line: 4, column: 14 } });
    expect(byPointer['/version']!.message).toContain('not a valid semver');
    expect(byPointer['/contributs']).toMatchObject({ hint: 'did you mean "contributes"?', source: { line: 6, column: 3 } });
  });

  it('warns about a load path that does not exist, and keeps going', () => {
    const root = tempDir();
    const good = writePlugin(root, { id: 'good' });
    const { kernel } = testKernel({ loadPaths: [join(root, 'nope'), good] });
    expect(kernel.list().map((p) => p.id)).toEqual(['good']);
    expect(kernel.diagnostics()).toContainEqual(expect.objectContaining({ code: 'discovery.path-missing', level: 'warning' }));
  });

  it('reads manifests only: no plugin code runs while listing', () => {
    const root = tempDir();
    const log = join(root, 'trace.log');
    writePlugin(root, { id: 'lazy', entry: tracingEntry(log, 'lazy'), manifest: { activation: ['onStartup'] } });
    const { kernel } = testKernel({ loadPaths: [root] });
    expect(kernel.list()[0]!.state).toBe('discovered');
    expect(existsSync(log)).toBe(false);
  });

  it('reuses the persisted index for manifests whose path, mtime and size are unchanged', () => {
    const root = tempDir();
    const dir = writePlugin(root, { id: 'cached', manifest: { description: 'first' } });
    const manifest = join(dir, 'nexus.plugin.json');
    const fixed = new Date('2026-01-01T00:00:00Z');
    utimesSync(manifest, fixed, fixed);
    const home = tempDir();
    const list = () => testKernel({ loadPaths: [root], kernel: { home } }).kernel.list()[0]!;
    expect(list().state).toBe('discovered');
    expect(existsSync(join(home, 'cache', 'discovery-index.json'))).toBe(true);

    // Same size and mtime, different content: the index answers, proving the file was not re-read.
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"first"', '"FIRST"'));
    utimesSync(manifest, fixed, fixed);
    expect(testKernel({ loadPaths: [root], kernel: { home } }).kernel.record('cached')!.manifest!.description).toBe('first');

    // A real edit changes the mtime, and the manifest is read again.
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"FIRST"', '"second!"'));
    utimesSync(manifest, fixed, new Date(fixed.getTime() + 5000));
    expect(testKernel({ loadPaths: [root], kernel: { home } }).kernel.record('cached')!.manifest!.description).toBe('second!');
  });

  it('ignores a corrupt index and rebuilds it', () => {
    const root = tempDir();
    writePlugin(root, { id: 'ok' });
    const home = tempDir();
    writeFile(join(home, 'cache', 'discovery-index.json'), '{ not json');
    const { kernel } = testKernel({ loadPaths: [root], kernel: { home } });
    expect(kernel.list()[0]!.state).toBe('discovered');
    expect(JSON.parse(readFileSync(join(home, 'cache', 'discovery-index.json'), 'utf8')).entries).toBeTypeOf('object');
  });
});

describe('discovery through links', () => {
  it('treats one plugin reached by two paths (a symlinked package) as one, silently', async () => {
    const { symlinkSync } = await import('node:fs');
    const root = tempDir();
    const dir = writePlugin(join(root, 'src'), { id: 'linked' });
    const nodeModules = join(root, 'node_modules');
    writeFile(join(nodeModules, '.keep'), '');
    symlinkSync(dir, join(nodeModules, 'nexus-plugin-linked'));
    const { kernel } = testKernel({ loadPaths: [dir], kernel: { packageDirs: [nodeModules] } });
    expect(kernel.list()).toEqual([expect.objectContaining({ id: 'linked', origin: 'config', diagnostics: [] })]);
  });
});
