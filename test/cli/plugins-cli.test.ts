import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, tracingEntry, writeFile, writePlugin } from '../helpers/fixtures.js';

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const run = promisify(execFile);

/** Runs the built `nexus` in `cwd` with an isolated NEXUS_HOME. */
async function nexus(args: string[], cwd: string, home = join(cwd, '.home')) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NEXUS_HOME: home, NEXUS_CONFIG: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Ids in `plugins list --json` output, built-ins left out. */
function local(stdout: string): string[] {
  return (JSON.parse(stdout) as { id: string; origin: string }[]).filter((p) => p.origin !== 'builtin').map((p) => p.id);
}

function workspace(): { dir: string; log: string; config: string } {
  const dir = tempDir('nexus-cli-');
  const log = join(dir, 'imported.log');
  writePlugin(join(dir, 'plugins'), { id: 'alpha', entry: tracingEntry(log, 'alpha'), manifest: { activation: ['onStartup'], description: 'first plugin' } });
  writePlugin(join(dir, 'plugins'), { id: 'beta', entry: tracingEntry(log, 'beta') });
  const config = writeFile(join(dir, 'nexus.yaml'), '# Operator notes stay put.\nplugins:\n  load:\n    paths: [./plugins]  # local plugins\n');
  return { dir, log, config };
}

describe('nexus plugins', () => {
  it('list --json prints every plugin with its state and loads no plugin code', async () => {
    const { dir, log } = workspace();
    const { code, stdout } = await nexus(['plugins', 'list', '--json'], dir);
    expect(code).toBe(0);
    const plugins = (JSON.parse(stdout) as Record<string, unknown>[]).filter((p) => p.origin !== 'builtin');
    expect(plugins.map((p) => Object.keys(p).sort())).toEqual(Array(2).fill(['diagnostics', 'enabled', 'id', 'origin', 'path', 'state', 'version']));
    expect(plugins.map((p) => [p.id, p.state, p.enabled, p.origin])).toEqual([
      ['alpha', 'discovered', true, 'config'],
      ['beta', 'discovered', true, 'config'],
    ]);
    expect(existsSync(log)).toBe(false);
  });

  it('list prints a table, and diagnostics on stderr', async () => {
    const { dir } = workspace();
    writeFile(join(dir, 'plugins', 'broken', 'nexus.plugin.json'), '{ "id": ');
    const { code, stdout, stderr } = await nexus(['plugins', 'list'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ID\s+VERSION\s+ORIGIN\s+ENABLED\s+STATE\s+PATH/);
    expect(stdout).toMatch(/broken\s+-\s+config\s+yes\s+failed \(1 issue\)/);
    expect(stderr).toContain('error [manifest.parse-error] broken: nexus.plugin.json is not valid JSON');
    expect(stderr).toMatch(/at .*broken\/nexus\.plugin\.json:1:9/);
  });

  it('--config selects the file, and relative load paths resolve against it', async () => {
    const { dir } = workspace();
    const elsewhere = tempDir('nexus-cwd-');
    const { stdout } = await nexus(['--config', join(dir, 'nexus.yaml'), 'plugins', 'list', '--json'], elsewhere);
    expect(local(stdout)).toEqual(['alpha', 'beta']);
  });

  it('info shows activation events and the enablement rule; unknown ids get a suggestion and exit 1', async () => {
    const { dir } = workspace();
    const info = await nexus(['plugins', 'info', 'alpha'], dir);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('activation:  onStartup');
    expect(info.stdout).toContain('enabled:     yes (config default (enabled))');
    const json = JSON.parse((await nexus(['plugins', 'info', 'beta', '--json'], dir)).stdout) as { state: string };
    expect(json.state).toBe('discovered');
    const missing = await nexus(['plugins', 'info', 'alpah'], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('did you mean "alpha"?');
  });

  it('doctor exits 0 when clean and 1 with positioned errors, without importing plugins', async () => {
    const { dir, log } = workspace();
    const clean = await nexus(['plugins', 'doctor'], dir);
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.stdout).toMatch(/\d+ plugins checked, no problems found\./);

    writeFile(join(dir, 'plugins', 'gamma', 'nexus.plugin.json'), JSON.stringify({ id: 'gamma', name: 'g', version: '1.0.0', main: './missing.js' }));
    writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n  entries:\n    alpha:\n      enabeld: true\n');
    const broken = await nexus(['plugins', 'doctor', '--json'], dir);
    expect(broken.code).toBe(1);
    const report = JSON.parse(broken.stdout) as { errors: number; problems: { code: string; source?: { line?: number }; hint?: string }[] };
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'config.invalid', source: expect.objectContaining({ line: 6 }), hint: 'did you mean "enabled"?' }));
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'plugin.entry-missing' }));
    expect(existsSync(log)).toBe(false);
  });

  it('enable and disable edit nexus.yaml and keep its comments', async () => {
    const { dir, config } = workspace();
    const off = await nexus(['plugins', 'disable', 'beta'], dir);
    expect(off.code).toBe(0);
    const text = readFileSync(config, 'utf8');
    expect(text).toContain('# Operator notes stay put.');
    expect(text).toContain('paths: [./plugins] # local plugins');
    expect(text).toMatch(/entries:\n\s+beta:\n\s+enabled: false/);
    const listed = JSON.parse((await nexus(['plugins', 'list', '--json'], dir)).stdout) as { id: string; state: string }[];
    expect(listed.find((p) => p.id === 'beta')!.state).toBe('disabled');

    expect((await nexus(['plugins', 'enable', 'beta'], dir)).code).toBe(0);
    expect(readFileSync(config, 'utf8')).toMatch(/beta:\n\s+enabled: true/);
  });

  it('enable and disable say how the change reaches a running serve: on config reload, if it reads this file', async () => {
    const { dir, config } = workspace();
    const alone = await nexus(['plugins', 'disable', 'beta'], dir);
    expect(alone.stdout).toContain('a running one would apply it on `nexus config reload`');
    expect(alone.stdout).not.toContain('Restart');

    // A live process recorded as the running serve: this test's own.
    writeFile(join(dir, '.home', 'nexus.pid'), JSON.stringify({ pid: process.pid, config, startedAt: new Date().toISOString() }));
    const same = await nexus(['plugins', 'enable', 'beta'], dir);
    expect(same.stdout).toContain(`The running nexus serve (pid ${process.pid}) reads this file: run \`nexus config reload\``);

    writeFile(join(dir, '.home', 'nexus.pid'), JSON.stringify({ pid: process.pid, config: join(dir, 'other.yaml'), startedAt: new Date().toISOString() }));
    const other = await nexus(['plugins', 'disable', 'beta'], dir);
    expect(other.stdout).toContain(`reads ${join(dir, 'other.yaml')}, not this file`);
  });

  it('enable refuses an unknown id and a config file that does not parse, changing nothing', async () => {
    const { dir, config } = workspace();
    const unknown = await nexus(['plugins', 'enable', 'gama'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('nothing was changed');
    writeFile(config, 'plugins:\n  load: [\n');
    const before = readFileSync(config, 'utf8');
    const broken = await nexus(['plugins', 'disable', 'alpha'], dir);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/config\.yaml-syntax/);
    expect(readFileSync(config, 'utf8')).toBe(before);
  });
});

describe('nexus', () => {
  it('--version reads no manifests; --help lists the plugins\' commands from their manifests, loading no plugin', async () => {
    const { dir, log } = workspace();
    const home = join(dir, 'fresh-home');
    const version = await nexus(['--version'], dir, home);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(existsSync(join(home, 'cache'))).toBe(false);
    const help = await nexus(['--help'], dir, home);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('plugins');
    expect(help.stdout).toMatch(/^Plugin commands:\n {2}prompt/m);
    expect(existsSync(log)).toBe(false);
  });

  it('exits 2 on usage errors, with a suggestion', async () => {
    const { dir } = workspace();
    const typo = await nexus(['plugin', 'list'], dir);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("nexus: unknown command 'plugin'; did you mean plugins?; see `nexus --help`\n");
    expect((await nexus(['plugins', 'list', '--bogus'], dir)).code).toBe(2);
  });

  it('reports a broken config file with its position and exits 1', async () => {
    const { dir } = workspace();
    writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  entries: {}\n---\nplugins: {}\n');
    const result = await nexus(['plugins', 'list'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('config.multiple-documents');
    expect(result.stderr).toMatch(/nexus\.yaml:3:1/);
  });

  it('runs a command a plugin contributes, activating only that plugin', async () => {
    const { dir, log } = workspace();
    writePlugin(join(dir, 'plugins'), {
      id: 'greeter',
      manifest: {
        contributes: {
          commands: [{ name: 'greet', description: 'say hello', arguments: [{ name: 'who', variadic: true }], options: [{ name: 'loud', type: 'boolean' }] }],
        },
      },
      entry: `import { definePlugin, CliCommands } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) {
  ctx.contribute(CliCommands, 'greet').toConstantValue({ name: 'greet', async run(c) { c.stdout('hello ' + c.args.who.join(' ') + (c.options.loud ? '!' : '') + '\\n'); return 3; } });
} });`,
    });
    const result = await nexus(['greet', 'big', 'world', '--loud'], dir);
    expect(result).toMatchObject({ code: 3, stdout: 'hello big world!\n' });
    expect(existsSync(log)).toBe(false);
  });

  it('accepts --config after the command too', async () => {
    const { dir } = workspace();
    const { code, stdout } = await nexus(['plugins', 'list', '--json', '--config', join(dir, 'nexus.yaml')], tempDir('nexus-cwd-'));
    expect(code).toBe(0);
    expect(local(stdout)).toEqual(['alpha', 'beta']);
  });

  it('explains a plugin command that cannot run, with the code and the fix', async () => {
    const { dir } = workspace();
    writePlugin(join(dir, 'plugins'), { id: 'broken-cmd', manifest: { contributes: { commands: [{ name: 'crash' }] } }, entry: `throw new Error('missing token');` });
    const result = await nexus(['crash'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error [plugin.import-failed] broken-cmd:');
    expect(result.stderr).toContain('missing token');
    expect(result.stderr).toContain('hint: fix the error in the entry module');
  });

  it('says once, in the command\'s own words, that a plugin the command needs could not start', async () => {
    const { dir } = workspace();
    writeFile(join(dir, 'nexus.yaml'), 'database:\n  url: postgres://postgres@127.0.0.1:1/nowhere\n');
    const result = await nexus(['migrate', 'status'], dir);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^nexus migrate: cannot open the database: .*nothing accepts connections there \(ECONNREFUSED\); check database\.url/);
    expect(result.stderr).not.toContain('activate() rejected');
  });

  it('ends quietly when its output pipe closes early', async () => {
    const { dir } = workspace();
    const { stdout, stderr } = await run('sh', ['-c', `"${process.execPath}" "${cli}" --help | head -1`], { cwd: dir });
    expect(stdout).toMatch(/^Usage: nexus/);
    expect(stderr).toBe('');
  });

  it('explains a plugin command whose plugin was set aside before it could run', async () => {
    const { dir } = workspace();
    writePlugin(join(dir, 'plugins'), {
      id: 'strict-cmd',
      manifest: { contributes: { commands: [{ name: 'report' }] }, configSchema: { type: 'object', properties: { retries: { type: 'integer' } } } },
    });
    writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n  entries:\n    strict-cmd:\n      config:\n        retries: many\n');
    const result = await nexus(['report'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plugin strict-cmd contributes the command "report" but is quarantined');
    expect(result.stderr).toMatch(/expected integer, found string "many"\n\s+at .*nexus\.yaml:7:18/);
  });
});
