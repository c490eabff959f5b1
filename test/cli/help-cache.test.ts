import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isHelpRequest } from '../../src/cli/help-cache/index.js';
import { tempDir, tracingEntry, writeFile, writePlugin } from '../helpers/fixtures.js';

// `nexus --help` and friends are answered from a cache under $NEXUS_HOME/cache/help when the
// build, the config and every manifest are as they were (src/cli/help-cache). These tests run
// the built CLI and watch which modules it loads: an answer from the cache loads no command tree.

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const run = promisify(execFile);

/** The chunk that holds the command tree (and through it the kernel), as main.js names it. */
function programChunk(): string {
  const match = /import\("(\.\.\/chunks\/program-[^"]+)"\)/.exec(readFileSync(cli, 'utf8'));
  if (!match) throw new Error('dist/cli/main.js no longer imports the program chunk by name; update this test');
  return pathToFileURL(join(cli, '..', match[1]!)).href;
}

/** An import hook that logs every module the CLI loads, to tell a cached answer from a full run. */
function tracer(dir: string): string {
  writeFile(
    join(dir, 'trace-hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (process.env.NEXUS_TEST_TRACE) appendFileSync(process.env.NEXUS_TEST_TRACE, url + '\\n');
  return next(url, context);
}
`,
  );
  return writeFile(join(dir, 'trace.mjs'), `import { register } from 'node:module';\nregister(new URL('./trace-hooks.mjs', import.meta.url));\n`);
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether the command tree was loaded: false when the answer came from the cache. */
  readonly full: boolean;
  readonly loaded: readonly string[];
}

let runs = 0;
async function nexus(args: string[], dir: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const trace = join(dir, `trace-${runs++}.log`);
  const options = { cwd: dir, env: { ...process.env, NEXUS_HOME: join(dir, '.home'), NEXUS_CONFIG: '', NEXUS_PROFILE: '', NEXUS_LOG_LEVEL: '', NEXUS_TEST_TRACE: trace, ...env } };
  let result: { code: number; stdout: string; stderr: string };
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', pathToFileURL(tracer(dir)).href, cli, ...args], options);
    result = { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    result = { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
  const loaded = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  return { ...result, loaded, full: loaded.includes(programChunk()) };
}

/** Runs a help twice: the first is the full path (and fills the cache), the second must come from the cache. */
async function twice(args: string[], dir: string, env: NodeJS.ProcessEnv = {}) {
  const first = await nexus(args, dir, env);
  const second = await nexus(args, dir, env);
  return { first, second };
}

const output = (r: Run) => ({ code: r.code, stdout: r.stdout, stderr: r.stderr });

function workspace() {
  const dir = tempDir('nexus-help-cache-');
  const log = join(dir, 'imported.log');
  writePlugin(join(dir, 'plugins'), {
    id: 'counter',
    entry: tracingEntry(log, 'counter'),
    manifest: {
      contributes: {
        commands: [
          {
            name: 'count',
            description: 'Count things',
            subcommands: [
              { name: 'up', description: 'count up', arguments: [{ name: 'from', type: 'integer', description: 'where to start' }], options: [{ name: 'step', type: 'number', default: 1, description: 'step' }] },
              { name: 'reset', description: 'start again' },
            ],
          },
        ],
      },
    },
  });
  installPackage(dir, 'nexus-plugin-weather', 'weather', 'Show the weather', log);
  writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n');
  return { dir, log };
}

/** A plugin package in <dir>/node_modules, as `npm install` leaves it. */
function installPackage(dir: string, name: string, id: string, description: string, log: string): string {
  const root = join(dir, 'node_modules', name);
  writeFile(join(root, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', main: './index.js' }));
  writeFile(join(root, 'index.js'), tracingEntry(log, id));
  return writeFile(
    join(root, 'nexus.plugin.json'),
    JSON.stringify({ id, name: id, version: '1.0.0', main: './index.js', contributes: { commands: [{ name: id, description }] } }, null, 2),
  );
}

describe('which command lines are helps', () => {
  it.each([
    [[], true],
    [['--help'], true],
    [['-h'], true],
    [['help'], true],
    [['help', 'count', 'up'], true],
    [['count', 'up', '--help'], true],
    [['--config', 'x.yaml', 'count', '-h'], true],
    [['count', '--help', '--config=x.yaml'], true],
    [['-p', 'dev', '--log-level', 'debug', 'help'], true],
    [['plugins', 'list'], false],
    [['--config', 'x.yaml'], true],
    [['count', 'up', '1', '--help'], true],
    [['count', '--step', '2', '--help'], false],
    [['--json', '--help'], false],
    [['count', '--', '--help'], false],
    [['completion', 'bash'], false],
  ])('%j → %s', (argv, expected) => {
    expect(isHelpRequest(argv)).toBe(expected);
  });
});

describe.skipIf(!existsSync(cli))('the help cache', () => {
  it('answers a repeated help from the cache, byte for byte what the full run printed, loading no plugin and no command tree', async () => {
    const { dir, log } = workspace();
    for (const args of [['--help'], ['help'], ['help', 'count', 'up'], ['count', 'up', '--help'], ['count', '-h'], ['weather', '--help'], ['plugins', '--help'], ['--config', 'nexus.yaml', '--help'], []]) {
      const { first, second } = await twice(args, dir);
      expect(first.full, args.join(' ')).toBe(true);
      expect(second.full, args.join(' ')).toBe(false);
      expect(output(second), args.join(' ')).toEqual(output(first));
      // The answer from the cache loads main.js and the cache's own module, and nothing from node_modules.
      expect(second.loaded.filter((url) => url.includes('/node_modules/')), args.join(' ')).toEqual([]);
    }
    const help = await nexus(['--help'], dir);
    expect(help.stdout).toMatch(/^ {2}count \[options\] +Count things$/m);
    expect(help.stdout).toMatch(/^ {2}weather \[options\] +Show the weather$/m);
    const bare = await nexus([], dir);
    expect(bare).toMatchObject({ code: 2, stdout: '', full: false });
    expect(bare.stderr).toBe(help.stdout);
    expect(existsSync(log)).toBe(false);
  }, 180_000);

  it('shows a plugin installed, changed or removed since the help was cached', async () => {
    const { dir, log } = workspace();
    // A package with no manifest yet: one added to it later must show too.
    writeFile(join(dir, 'node_modules', 'nexus-plugin-late', 'package.json'), JSON.stringify({ name: 'nexus-plugin-late', version: '1.0.0' }));
    await twice(['--help'], dir);

    const manifest = installPackage(dir, 'nexus-plugin-tides', 'tides', 'Tide tables', log);
    const installed = await nexus(['--help'], dir);
    expect(installed.full).toBe(true);
    expect(installed.stdout).toMatch(/^ {2}tides \[options\] +Tide tables$/m);
    expect((await nexus(['--help'], dir)).full).toBe(false);

    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('Tide tables', 'Tide charts'));
    const changed = await nexus(['--help'], dir);
    expect(changed.full).toBe(true);
    expect(changed.stdout).toMatch(/^ {2}tides \[options\] +Tide charts$/m);

    // The same size and the same modification time, as a copy that keeps times would leave it.
    const before = statSync(manifest);
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('Tide charts', 'Tide graphs'));
    utimesSync(manifest, before.atime, before.mtime);
    expect(statSync(manifest).size).toBe(before.size);
    const sameStat = await nexus(['--help'], dir);
    expect(sameStat.stdout).toMatch(/^ {2}tides \[options\] +Tide graphs$/m);

    rmSync(join(dir, 'node_modules', 'nexus-plugin-tides'), { recursive: true });
    const removed = await nexus(['--help'], dir);
    expect(removed.full).toBe(true);
    expect(removed.stdout).not.toMatch(/tides/);

    // A manifest added to a package already installed, and a plugin in the workspace's plugin folder.
    await twice(['help'], dir);
    writeFile(
      join(dir, 'node_modules', 'nexus-plugin-late', 'nexus.plugin.json'),
      JSON.stringify({ id: 'late', name: 'late', version: '1.0.0', main: './index.js', contributes: { commands: [{ name: 'late', description: 'Arrived late' }] } }),
    );
    const late = await nexus(['help'], dir);
    expect(late.full).toBe(true);
    expect(late.stdout).toMatch(/^ {2}late \[options\] +Arrived late$/m);
    writePlugin(join(dir, '.nexus', 'plugins'), { id: 'local', manifest: { contributes: { commands: [{ name: 'local', description: 'From the workspace' }] } } });
    const local = await nexus(['help'], dir);
    expect(local.full).toBe(true);
    expect(local.stdout).toMatch(/^ {2}local \[options\] +From the workspace$/m);
    expect(existsSync(log)).toBe(false);
  }, 180_000);

  it('follows the config: a plugin disabled or enabled, another config file or profile chosen, an environment variable it reads', async () => {
    const { dir } = workspace();
    await twice(['--help'], dir);

    writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n  entries:\n    weather:\n      enabled: false\n');
    const disabled = await nexus(['--help'], dir);
    expect(disabled.full).toBe(true);
    expect(disabled.stdout).not.toMatch(/weather/);
    expect((await nexus(['--help'], dir)).full).toBe(false);

    writeFile(join(dir, 'other.yaml'), 'plugins:\n  deny: [counter]\n  load:\n    paths: [./plugins]\n');
    const other = await nexus(['--help'], dir, { NEXUS_CONFIG: 'other.yaml' });
    expect(other.full).toBe(true);
    expect(other.stdout).not.toMatch(/Count things/);
    expect(other.stdout).toMatch(/weather/);
    expect((await nexus(['--help'], dir)).stdout).toMatch(/Count things/);

    // The active profile (`nexus profile use`) picks another file, and dropping it goes back.
    writeFile(join(dir, '.home', 'profiles', 'lean.yaml'), 'plugins:\n  deny: [counter]\n  load:\n    paths: [../../plugins]\n');
    writeFile(join(dir, '.home', 'active-profile'), 'lean\n');
    const profiled = await nexus(['--help'], dir);
    expect(profiled.full).toBe(true);
    expect(profiled.stdout).not.toMatch(/Count things/);
    rmSync(join(dir, '.home', 'active-profile'));
    expect((await nexus(['--help'], dir)).stdout).toMatch(/Count things/);

    // No file at all: the defaults, then a ./nexus.yaml appearing.
    rmSync(join(dir, 'nexus.yaml'));
    const defaults = await twice(['--help'], dir);
    expect(defaults.second.full).toBe(false);
    expect(defaults.second.stdout).not.toMatch(/Count things/);
    writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n');
    expect((await nexus(['--help'], dir)).stdout).toMatch(/Count things/);

    writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  deny: ["${HIDDEN_PLUGIN:-none}", "${API_TOKEN:-none}"]\n  load:\n    paths: [./plugins]\n');
    const byEnv = await twice(['--help'], dir, { HIDDEN_PLUGIN: 'weather', API_TOKEN: 'sk-never-stored' });
    expect(byEnv.second.full).toBe(false);
    expect(byEnv.second.stdout).not.toMatch(/weather/);
    const otherValue = await nexus(['--help'], dir, { HIDDEN_PLUGIN: 'counter', API_TOKEN: 'sk-never-stored' });
    expect(otherValue.full).toBe(true);
    expect(otherValue.stdout).toMatch(/weather/);
    expect(otherValue.stdout).not.toMatch(/Count things/);
    // The cache file holds which variables were read, never their values.
    const cacheDir = join(dir, '.home', 'cache', 'help');
    const stored = readdirSync(cacheDir).map((name) => readFileSync(join(cacheDir, name), 'utf8'));
    expect(stored.some((text) => text.includes('API_TOKEN'))).toBe(true);
    expect(stored.some((text) => text.includes('sk-never-stored') || text.includes('HIDDEN_PLUGIN='))).toBe(false);
    // Unsetting it counts as a change too.
    const unset = await nexus(['--help'], dir, { HIDDEN_PLUGIN: 'counter' });
    expect(unset.full).toBe(true);
  }, 180_000);

  it('never caches a help printed with a warning, an error, or a command that is not a help', async () => {
    const { dir } = workspace();
    writePlugin(join(dir, 'plugins'), { id: 'shadow', manifest: { contributes: { commands: [{ name: 'serve', description: 'not the real one' }] } } });
    const { first, second } = await twice(['--help'], dir);
    expect(second.full).toBe(true);
    expect(second.stderr).toContain('nexus: warning: plugin shadow declares the command "serve"');
    expect(output(second)).toEqual(output(first));

    rmSync(join(dir, 'plugins', 'shadow'), { recursive: true });
    const unknown = await twice(['help', 'nope'], dir);
    expect(unknown.second).toMatchObject({ code: 2, full: true, stderr: 'nexus: there is no command "nope"; see `nexus --help`\n' });

    expect((await twice(['plugins', 'list'], dir)).second.full).toBe(true);
    expect((await twice(['completion', 'bash'], dir)).second.full).toBe(true);
    expect(existsSync(join(dir, '.home', 'cache', 'help'))).toBe(false);
  }, 180_000);
});
