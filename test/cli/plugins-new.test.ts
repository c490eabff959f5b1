import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { tempDir } from '../helpers/fixtures.js';

/** Runs `nexus …` in-process in `cwd`, keeping its output. */
async function nexus(args: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd, env: {}, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

describe('nexus plugins new', () => {
  it('writes a tool plugin by default: manifest with $schema and engines.nexus, entry, test, tsconfig, package.json, README', async () => {
    const cwd = tempDir('nexus-new-');
    const run = await nexus(['plugins', 'new', 'acme-weather'], cwd);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Created tool plugin acme-weather in acme-weather/');
    const dir = join(cwd, 'acme-weather');
    expect(readdirSync(dir, { recursive: true }).map(String).sort()).toEqual(['.gitignore', 'README.md', 'nexus.plugin.json', 'package.json', 'src', 'src/index.ts', 'test', 'test/acme-weather.test.mjs', 'tsconfig.json']);
    const manifest = JSON.parse(readFileSync(join(dir, 'nexus.plugin.json'), 'utf8'));
    expect(manifest).toMatchObject({
      $schema: './node_modules/@nexus/plugin-sdk/manifest.schema.json',
      id: 'acme-weather',
      name: 'Acme Weather',
      main: './dist/index.js',
      engines: { nexus: '>=0.1.0 <1.0.0' },
      contributes: { tools: [{ name: 'acme-weather' }] },
    });
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.peerDependencies).toEqual({ '@nexus/plugin-sdk': '^1.0.0' });
    // Offline by default: the SDK and the host this command ran from, as file: links.
    expect(pkg.devDependencies['@nexus/plugin-sdk']).toMatch(/^file:\/.*plugin-sdk$/);
    expect(pkg.devDependencies.nexus).toMatch(/^file:\//);
    expect(readFileSync(join(dir, 'src/index.ts'), 'utf8')).toContain("ctx.contribute(Tools, 'acme-weather').to(AcmeWeatherTool)");
    expect(readFileSync(join(dir, 'test/acme-weather.test.mjs'), 'utf8')).toContain("from '@nexus/plugin-sdk/testing'");
  });

  it('takes a scoped name: the package keeps the scope, the id becomes scope/name, the folder the name', async () => {
    const cwd = tempDir('nexus-new-');
    expect((await nexus(['plugins', 'new', '@acme/notes', '--kind', 'storage'], cwd)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'notes/package.json'), 'utf8')).name).toBe('@acme/notes');
    expect(JSON.parse(readFileSync(join(cwd, 'notes/nexus.plugin.json'), 'utf8'))).toMatchObject({ id: 'acme/notes', permissions: ['nexus.store.sql'], contributes: { migrations: [{ name: 'acme/notes' }] } });
  });

  it('installs the SDK from a tarball given with --sdk, as an absolute file: spec', async () => {
    const cwd = tempDir('nexus-new-');
    writeFileSync(join(cwd, 'sdk.tgz'), '');
    expect((await nexus(['plugins', 'new', 'acme-x', '--sdk', 'sdk.tgz'], cwd)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'acme-x/package.json'), 'utf8')).devDependencies['@nexus/plugin-sdk']).toBe(`file:${join(cwd, 'sdk.tgz')}`);
  });

  it.each([
    ['Acme', 'has capital letters'],
    ['acme_weather', 'is not a valid npm package name and plugin id'],
    ['1acme', 'is not a valid npm package name and plugin id'],
    ['@acme/', 'is not a valid npm package name and plugin id'],
    ['../escape', 'is not a valid npm package name and plugin id'],
    [`a${'b'.repeat(100)}`, 'is 101 characters long, the limit is 100'],
  ])('refuses the name %j with exit 2, saying what is wrong and which names work', async (name, problem) => {
    const cwd = tempDir('nexus-new-');
    const run = await nexus(['plugins', 'new', name], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`nexus: plugin name "${name}" (the <name> argument) ${problem}; use lowercase letters, digits and dashes, starting with a letter, optionally scoped as @scope/name (e.g. acme-weather or @acme/weather)\n`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses an unknown kind with exit 2, listing the kinds', async () => {
    const cwd = tempDir('nexus-new-');
    const run = await nexus(['plugins', 'new', 'acme-x', '--kind', 'widget'], cwd);
    expect(run).toMatchObject({ code: 2, stderr: 'nexus: --kind "widget" is not a plugin kind; use one of tool, channel, provider, storage, command\n' });
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a non-empty folder and leaves it alone, but fills an empty one', async () => {
    const cwd = tempDir('nexus-new-');
    mkdirSync(join(cwd, 'acme-x'));
    writeFileSync(join(cwd, 'acme-x/keep.txt'), 'mine');
    const run = await nexus(['plugins', 'new', 'acme-x'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`nexus: ${join(cwd, 'acme-x')} exists and is not empty; choose another name, or empty or remove the folder first\n`);
    expect(readdirSync(join(cwd, 'acme-x'))).toEqual(['keep.txt']);

    mkdirSync(join(cwd, 'acme-y'));
    expect((await nexus(['plugins', 'new', 'acme-y'], cwd)).code).toBe(0);
    writeFileSync(join(cwd, 'acme-z'), 'a file');
    expect((await nexus(['plugins', 'new', 'acme-z'], cwd)).stderr).toBe(`nexus: ${join(cwd, 'acme-z')} exists and is not a folder; choose another name or move the file away\n`);
  });

  it('refuses an --sdk path that does not exist, before writing anything', async () => {
    const cwd = tempDir('nexus-new-');
    const run = await nexus(['plugins', 'new', 'acme-x', '--sdk', './missing.tgz'], cwd);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--sdk ./missing.tgz: no such file or folder (${join(cwd, 'missing.tgz')})`);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('is listed in `nexus plugins --help`', async () => {
    const run = await nexus(['plugins', '--help'], tempDir('nexus-new-'));
    expect(run.stdout).toMatch(/new \[options\] <name>\s+scaffold a plugin package/);
  });
});
