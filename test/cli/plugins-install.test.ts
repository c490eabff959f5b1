import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../helpers/fixtures.js';

// `nexus plugins install | update | uninstall | verify`, run through the built CLI with an
// isolated NEXUS_HOME. Everything installs offline: from plugin folders, and from tarballs made
// here with `npm pack`; the one registry lookup goes to a closed port.

const cli = join(import.meta.dirname, '../../dist/cli/main.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built `nexus` in `cwd` with NEXUS_HOME at `<cwd>/.home`; stdin is never a terminal. */
function nexus(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NEXUS_HOME: join(cwd, '.home'), NEXUS_CONFIG: '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

interface FixtureOptions {
  readonly id?: string;
  readonly pkg?: string;
  readonly version?: string;
  readonly manifest?: Record<string, unknown>;
  readonly packageJson?: Record<string, unknown>;
  /** Write no nexus.plugin.json. */
  readonly noManifest?: boolean;
}

/**
 * A plugin package folder `<root>/<pkg>` contributing the command `nexus hello`, which prints its
 * version: proof that the copy discovery found is the one that runs.
 */
function pluginFolder(root: string, options: FixtureOptions = {}): string {
  const id = options.id ?? 'hello';
  const pkg = options.pkg ?? `nexus-plugin-${id}`;
  const version = options.version ?? '1.0.0';
  const dir = join(root, pkg);
  writeFile(join(dir, 'package.json'), JSON.stringify({ name: pkg, version, type: 'module', main: './index.js', peerDependencies: { '@nexus/plugin-sdk': '^1.0.0' }, ...options.packageJson }, null, 2));
  if (!options.noManifest) {
    const manifest = { id, name: 'Hello', version, main: './index.js', description: 'says which version it is', permissions: ['secrets'], contributes: { commands: [{ name: 'hello', description: 'print the installed version' }] }, ...options.manifest };
    writeFile(join(dir, 'nexus.plugin.json'), JSON.stringify(manifest, null, 2));
  }
  writeFile(
    join(dir, 'index.js'),
    `import { CliCommands, definePlugin, injectable } from '@nexus/plugin-sdk';
class HelloCommand {
  name = 'hello';
  async run(ctx) { ctx.stdout('hello from ${version}\\n'); return 0; }
}
injectable()(HelloCommand);
export default definePlugin({ register(ctx) { ctx.contribute(CliCommands, 'hello').to(HelloCommand); } });
`,
  );
  return dir;
}

/** `npm pack` of a folder (its own scripts not run), returning the tarball's path. */
function pack(folder: string, into: string): string {
  const out = execFileSync('npm', ['pack', folder, '--json', '--ignore-scripts', '--pack-destination', into], { encoding: 'utf8' });
  return join(into, (JSON.parse(out) as { filename: string }[])[0]!.filename);
}

/** Every path under `dir` with its content digest: equal snapshots mean nothing changed on disk. */
function snapshot(dir: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (at: string) => {
    if (!existsSync(at)) return;
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const key = relative(dir, path);
      if (key === 'cache') continue;
      if (lstatSync(path).isDirectory()) {
        result[key] = 'dir';
        walk(path);
      } else result[key] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return result;
}

function installedIds(stdout: string): string[] {
  return (JSON.parse(stdout) as { id: string; origin: string }[]).filter((p) => p.origin === 'installed').map((p) => p.id);
}

function records(cwd: string): Record<string, { package: string; version: string; integrity: string; tree: string; source: { kind: string; spec: string } }> {
  return (JSON.parse(readFileSync(join(cwd, '.home', 'plugins', 'installed.json'), 'utf8')) as { plugins: ReturnType<typeof records> }).plugins;
}

describe('nexus plugins install', () => {
  it('installs a tarball without running any lifecycle script, its bundled dependency\'s included', async () => {
    const dir = tempDir('nexus-install-');
    const marker = join(dir, 'marker');
    const touch = (what: string) => `node -e "require('fs').appendFileSync(process.argv[1], '${what}\\n')" ${JSON.stringify(marker)}`;
    const folder = pluginFolder(join(dir, 'src'), {
      packageJson: {
        scripts: { preinstall: touch('preinstall'), install: touch('install'), postinstall: touch('postinstall'), prepare: touch('prepare') },
        dependencies: { 'evil-dep': '1.0.0' },
        bundleDependencies: ['evil-dep'],
      },
    });
    // A dependency shipped inside the tarball, with an install script of its own.
    writeFile(join(folder, 'node_modules', 'evil-dep', 'package.json'), JSON.stringify({ name: 'evil-dep', version: '1.0.0', scripts: { postinstall: touch('dependency postinstall') } }));
    const tarball = pack(folder, dir);
    // The control: an ordinary npm install of the same tarball runs all four scripts.
    const control = join(dir, 'control');
    execFileSync('npm', ['install', tarball, '--prefix', control, '--legacy-peer-deps', '--no-audit', '--no-fund'], { stdio: 'ignore' });
    expect(readFileSync(marker, 'utf8').split('\n').filter(Boolean).sort()).toEqual(['dependency postinstall', 'install', 'postinstall', 'preinstall']);
    rmSync(marker);

    // Staging left by an install that was killed (its process is gone) is swept away.
    const deadPid = spawnSync(process.execPath, ['-e', '']).pid;
    const abandoned = writeFile(join(dir, '.home', 'plugins', '.staging', `install-${deadPid}-x`, 'half-unpacked.js'), '');

    const result = await nexus(['plugins', 'install', tarball, '--yes'], dir);
    expect(existsSync(abandoned)).toBe(false);
    expect(readdirSync(join(dir, '.home', 'plugins')).sort()).toEqual(['installed.json', 'node_modules']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('permissions: secrets');
    expect(result.stdout).toContain('Installed hello 1.0.0');
    expect(existsSync(marker)).toBe(false);

    const installed = join(dir, '.home', 'plugins', 'node_modules', 'nexus-plugin-hello');
    expect(existsSync(join(installed, 'node_modules', 'evil-dep', 'package.json'))).toBe(true);
    const record = records(dir).hello!;
    expect(record).toMatchObject({ package: 'nexus-plugin-hello', version: '1.0.0', source: { kind: 'tarball', spec: tarball } });
    expect(record.integrity).toBe(`sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`);

    // Discovery finds it where it is, and it runs.
    expect(installedIds((await nexus(['plugins', 'list', '--json'], dir)).stdout)).toEqual(['hello']);
    expect(await nexus(['hello'], dir)).toMatchObject({ code: 0, stdout: 'hello from 1.0.0\n' });
    expect(existsSync(marker)).toBe(false);
    // The digest recorded in staging holds after the move, the bundled dependency included.
    expect(await nexus(['plugins', 'verify'], dir)).toMatchObject({ code: 0, stderr: '' });
  });

  it('installs a scoped package from a folder, and the cached --help shows its command until it is uninstalled', async () => {
    const dir = tempDir('nexus-install-');
    const folder = pluginFolder(join(dir, 'src'), { pkg: '@acme/hello' });
    // Twice: the second answer comes from the help cache, which must notice the install.
    await nexus(['--help'], dir);
    expect((await nexus(['--help'], dir)).stdout).not.toMatch(/^\s+hello\b/m);

    expect((await nexus(['plugins', 'install', './src/@acme/hello', '--yes'], dir)).code).toBe(0);
    expect(records(dir).hello!.source).toEqual({ kind: 'folder', spec: folder });
    expect(installedIds((await nexus(['plugins', 'list', '--json'], dir)).stdout)).toEqual(['hello']);
    expect((await nexus(['--help'], dir)).stdout).toMatch(/^\s+hello \[options\]\s+print the installed version$/m);

    const removed = await nexus(['plugins', 'uninstall', 'hello'], dir);
    expect(removed).toMatchObject({ code: 0, stdout: 'Uninstalled hello (@acme/hello@1.0.0).\n' });
    // The scope folder goes with its last package.
    expect(readdirSync(join(dir, '.home', 'plugins', 'node_modules'))).toEqual([]);
    expect(records(dir)).toEqual({});
    expect((await nexus(['--help'], dir)).stdout).not.toMatch(/^\s+hello\b/m);
  });

  it('installs with a warning what the operator can fix afterwards: a required plugin not installed yet', async () => {
    const dir = tempDir('nexus-install-');
    pluginFolder(join(dir, 'src'), { manifest: { requires: { 'hello-storage': '^1.0.0' } } });
    const result = await nexus(['plugins', 'install', './src/nexus-plugin-hello', '--yes'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning [plugin.dependency-unavailable] hello: requires hello-storage@^1.0.0, but no plugin "hello-storage" was found');
    expect(result.stdout).toContain('Installed hello 1.0.0');
    expect(result.stdout).toContain('cannot run until the warnings above are fixed');
  });

  it('asks before granting permissions: without a terminal and without --yes it installs nothing', async () => {
    const dir = tempDir('nexus-install-');
    pluginFolder(join(dir, 'src'));
    const result = await nexus(['plugins', 'install', './src/nexus-plugin-hello'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('permissions: secrets (no plugin marks it sensitive)');
    expect(result.stderr).toContain('no terminal to ask on; rerun with --yes');
    expect(result.stderr).toContain('nothing was changed');
    expect(snapshot(join(dir, '.home'))).toEqual({});
  });

  describe('bad input: a clear error, and nothing changed on disk', () => {
    // One home for these tests, with `hello` installed, so "nothing changed" is checked against a
    // populated plugins folder; each test proves it left the home as it found it.
    let dir = '';
    let before: Record<string, string> = {};
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'nexus-install-'));
      pluginFolder(join(dir, 'src'));
      expect((await nexus(['plugins', 'install', './src/nexus-plugin-hello', '--yes'], dir)).code).toBe(0);
      before = snapshot(join(dir, '.home'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    async function refused(source: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
      const result = await nexus(['plugins', 'install', source, '--yes'], dir, env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/nothing was changed\n$/);
      expect(snapshot(join(dir, '.home'))).toEqual(before);
      return result.stderr;
    }

    it('a tarball with no manifest', async () => {
      const tarball = pack(pluginFolder(join(dir, 'other'), { id: 'plain', noManifest: true, packageJson: { files: ['index.js'] } }), dir);
      const stderr = await refused(tarball);
      expect(stderr).toContain(`nexus-plugin-plain@1.0.0 (from ${tarball}) is not a Nexus plugin: it has no nexus.plugin.json beside its package.json`);
      expect(stderr).toContain('add "nexus.plugin.json" to it');
    });

    it('an invalid manifest, with the kernel\'s JSON pointer errors, located in the tarball', async () => {
      const tarball = pack(pluginFolder(join(dir, 'other'), { id: 'broken', manifest: { id: 'Not An Id', permissions: 'secrets' } }), dir);
      const stderr = await refused(tarball);
      expect(stderr).toContain('error [manifest.invalid]');
      expect(stderr).toMatch(/\/id: "Not An Id" does not match the pattern/);
      expect(stderr).toContain(`at ${tarball} › package/nexus.plugin.json:`);
      expect(stderr).toMatch(/\(\/permissions\)/);
    });

    it('an engines range this host is not in', async () => {
      const folder = pluginFolder(join(dir, 'other'), { id: 'future', manifest: { engines: { nexus: '>=99.0.0' } } });
      const stderr = await refused(folder);
      expect(stderr).toContain('error [plugin.engine-mismatch] future: future supports Nexus >=99.0.0');
      expect(stderr).toContain(`at ${join(folder, 'nexus.plugin.json')} (/engines/nexus)`);
    });

    it('an SDK range this host does not provide', async () => {
      const folder = pluginFolder(join(dir, 'other'), { id: 'newsdk', packageJson: { peerDependencies: { '@nexus/plugin-sdk': '^9.0.0' } } });
      const stderr = await refused(folder);
      expect(stderr).toContain('error [plugin.sdk-mismatch] newsdk: newsdk is built for @nexus/plugin-sdk ^9.0.0');
    });

    it('an id a built-in plugin has, or an installed one', async () => {
      const builtin = await refused(pluginFolder(join(dir, 'other'), { id: 'agent', pkg: 'my-agent' }));
      expect(builtin).toMatch(/the plugin id "agent" is taken by the built-in plugin at .*agent\/nexus\.plugin\.json/);
      expect(builtin).toContain('a built-in plugin cannot be replaced');
      const installed = await refused(pluginFolder(join(dir, 'other'), { id: 'hello', pkg: 'another-hello' }));
      expect(installed).toMatch(/the plugin id "hello" is taken by the installed plugin at .*nexus-plugin-hello\/nexus\.plugin\.json/);
      expect(installed).toContain('`nexus plugins update hello`');
      const samePackage = await refused(join(dir, 'src', 'nexus-plugin-hello'));
      expect(samePackage).toContain('package nexus-plugin-hello is already installed');
    });

    it('a path that does not exist, and a package the registry cannot give', async () => {
      expect(await refused('./missing-plugin.tgz')).toContain(`${join(dir, 'missing-plugin.tgz')} does not exist`);
      const npm = await refused('nexus-plugin-nowhere@1.0.0', { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' });
      expect(npm).toContain('npm could not get npm package nexus-plugin-nowhere@1.0.0');
      expect(npm).toContain('ECONNREFUSED');
    });
  });
});

describe('nexus plugins update', () => {
  it('keeps the working version when the new one is invalid, and installs a valid one', async () => {
    const dir = tempDir('nexus-update-');
    const folder = pluginFolder(join(dir, 'src'));
    expect((await nexus(['plugins', 'install', folder, '--yes'], dir)).code).toBe(0);
    expect((await nexus(['plugins', 'update', 'hello', '--yes'], dir)).stdout).toBe('hello is up to date (nexus-plugin-hello@1.0.0).\n');

    pluginFolder(join(dir, 'src'), { version: '2.0.0', manifest: { engines: { nexus: '>=99.0.0' } } });
    const before = snapshot(join(dir, '.home'));
    const failed = await nexus(['plugins', 'update', 'hello', '--yes'], dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('plugin.engine-mismatch');
    expect(snapshot(join(dir, '.home'))).toEqual(before);
    expect(await nexus(['hello'], dir)).toMatchObject({ code: 0, stdout: 'hello from 1.0.0\n' });
    expect((await nexus(['plugins', 'verify'], dir)).code).toBe(0);

    pluginFolder(join(dir, 'src'), { version: '2.0.0', manifest: { permissions: ['secrets', 'storage'] } });
    const updated = await nexus(['plugins', 'update', '--yes'], dir);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain('Update Hello (hello) 1.0.0 -> 2.0.0');
    expect(updated.stdout).toContain('new in this version: storage');
    expect(await nexus(['hello'], dir)).toMatchObject({ code: 0, stdout: 'hello from 2.0.0\n' });
    expect(records(dir).hello!.version).toBe('2.0.0');
    expect((await nexus(['plugins', 'verify'], dir)).code).toBe(0);

    // The folder now holds another package: refused, as an update keeps the package's name.
    const pkg = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(folder, 'package.json'), JSON.stringify({ ...pkg, name: 'renamed-hello', version: '3.0.0' }));
    const renamed = await nexus(['plugins', 'update', 'hello', '--yes'], dir);
    expect(renamed.code).toBe(1);
    expect(renamed.stderr).toContain(`${folder} now gives the package renamed-hello, but hello is installed as nexus-plugin-hello`);
    expect(await nexus(['hello'], dir)).toMatchObject({ code: 0, stdout: 'hello from 2.0.0\n' });
  });

  it('refuses what it did not install', async () => {
    const dir = tempDir('nexus-update-');
    const builtin = await nexus(['plugins', 'update', 'agent', '--yes'], dir);
    expect(builtin).toMatchObject({ code: 1 });
    expect(builtin.stderr).toContain('agent is a built-in plugin');
    expect((await nexus(['plugins', 'update', '--yes'], dir)).stdout).toContain('nothing to update');
  });
});

describe('nexus plugins uninstall', () => {
  it('refuses built-ins and unknown ids, changing nothing', async () => {
    const dir = tempDir('nexus-uninstall-');
    const builtin = await nexus(['plugins', 'uninstall', 'agent'], dir);
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toContain('agent is a built-in plugin: it ships with Nexus and cannot be uninstalled on its own; turn it off with `nexus plugins disable agent`');
    const unknown = await nexus(['plugins', 'uninstall', 'nothing-here'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no installed plugin "nothing-here"');
    expect(snapshot(join(dir, '.home'))).toEqual({});
  });
});

describe('nexus plugins verify', () => {
  it('reports a changed file, a missing package and a package with no record, exiting 1', async () => {
    const dir = tempDir('nexus-verify-');
    await nexus(['plugins', 'install', pluginFolder(join(dir, 'src')), '--yes'], dir);
    await nexus(['plugins', 'install', pluginFolder(join(dir, 'src'), { id: 'other' }), '--yes'], dir);
    expect(await nexus(['plugins', 'verify'], dir)).toMatchObject({ code: 0, stderr: '' });

    const modules = join(dir, '.home', 'plugins', 'node_modules');
    writeFileSync(join(modules, 'nexus-plugin-hello', 'index.js'), 'globalThis.tampered = true;\n', { flag: 'a' });
    rmSync(join(modules, 'nexus-plugin-other'), { recursive: true });
    pluginFolder(modules, { id: 'stray', pkg: 'stray' });
    const result = await nexus(['plugins', 'verify', '--json'], dir);
    expect(result.code).toBe(1);
    expect((JSON.parse(result.stdout) as { id: string | null; package: string; status: string }[]).map((c) => [c.id, c.package, c.status])).toEqual([
      ['hello', 'nexus-plugin-hello', 'modified'],
      ['other', 'nexus-plugin-other', 'missing'],
      [null, 'stray', 'unrecorded'],
    ]);
    const text = await nexus(['plugins', 'verify'], dir);
    expect(text.stderr).toContain('modified: hello at');
    expect(text.stderr).toContain('`nexus plugins update hello`');

    // Installing over the package put there by hand is refused: it has no record to update.
    const over = await nexus(['plugins', 'install', pluginFolder(join(dir, 'src'), { id: 'stray2', pkg: 'stray' }), '--yes'], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`${join(modules, 'stray')} is already there, but not installed with \`nexus plugins install\``);
  });
});
