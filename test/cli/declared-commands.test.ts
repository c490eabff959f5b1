import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, tracingEntry, writeFile, writePlugin } from '../helpers/fixtures.js';

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const run = promisify(execFile);

async function nexus(args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { ...process.env, NEXUS_HOME: join(cwd, '.home'), NEXUS_CONFIG: '', NEXUS_LOG_LEVEL: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A plugin whose `count` command prints what the host handed it, and logs its import. */
const COUNT_COMMAND = {
  name: 'count',
  description: 'Count things',
  subcommands: [
    {
      name: 'up',
      description: 'count up from a number',
      arguments: [
        { name: 'from', type: 'integer', description: 'where to start' },
        { name: 'labels', variadic: true, required: false, description: 'what to call them' },
      ],
      options: [
        { name: 'step', short: 's', type: 'number', default: 1, description: 'how far each step goes' },
        { name: 'style', type: 'string', choices: ['plain', 'fancy'], description: 'how to print' },
        { name: 'loud', type: 'boolean', description: 'shout' },
        { name: 'json', type: 'boolean', description: 'print JSON' },
      ],
    },
    { name: 'reset', description: 'start again' },
  ],
};

function workspace() {
  const dir = tempDir('nexus-declared-');
  const log = join(dir, 'imported.log');
  writePlugin(join(dir, 'plugins'), {
    id: 'counter',
    entry: tracingEntry(
      log,
      'counter',
      `register(ctx) {
        ctx.contribute(Symbol.for('nexus.contrib.commands'), 'count').toConstantValue({
          name: 'count',
          async run(c) {
            if (c.options.style === 'fancy' && c.options.loud) throw new (await import('@nexus/plugin-sdk')).CliUsageError('--loud and --style fancy do not mix');
            c.stdout(JSON.stringify({ subcommand: c.subcommand, args: c.args, options: c.options, configPath: c.configPath }) + '\\n');
            return 0;
          },
        });
      },`,
    ),
    manifest: { contributes: { commands: [COUNT_COMMAND] } },
  });
  const config = writeFile(join(dir, 'nexus.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n');
  writeFile(join(dir, 'other.yaml'), 'plugins:\n  load:\n    paths: [./plugins]\n');
  return { dir, log, config };
}

describe.skipIf(!existsSync(cli))('commands declared in manifests', () => {
  it('hands the command typed arguments and options, keyed by their manifest names', async () => {
    const { dir } = workspace();
    const { code, stdout, stderr } = await nexus(['count', 'up', '7', 'a', 'b', '-s', '2.5', '--style', 'plain', '--json'], dir);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      subcommand: 'up',
      args: { from: 7, labels: ['a', 'b'] },
      options: { step: 2.5, style: 'plain', loud: false, json: true },
      configPath: join(dir, 'nexus.yaml'),
    });
  });

  it('takes the global options before or after the command, --json before it too', async () => {
    const { dir } = workspace();
    for (const args of [
      ['--config', 'other.yaml', 'count', 'up', '1'],
      ['count', 'up', '1', '--config', 'other.yaml'],
      ['count', 'up', '--config=other.yaml', '1'],
      ['-c', 'other.yaml', '--json', 'count', 'up', '1'],
    ]) {
      const { code, stdout, stderr } = await nexus(args, dir);
      expect(code, `${args.join(' ')}: ${stderr}`).toBe(0);
      expect(JSON.parse(stdout).configPath, args.join(' ')).toBe(join(dir, 'other.yaml'));
    }
    expect(JSON.parse((await nexus(['--json', 'count', 'up', '1'], dir)).stdout).options.json).toBe(true);
    expect(JSON.parse((await nexus(['count', 'up', '1', '--log-level', 'debug'], dir)).stdout).args.from).toBe(1);
  }, 60_000);

  it.each([
    ['an unknown option', ['count', 'up', '1', '--bogus'], "nexus count up: unknown option '--bogus'; see `nexus help count up` (plugin counter)"],
    ['a missing argument', ['count', 'up'], "nexus count up: missing required argument 'from'; see `nexus help count up` (plugin counter)"],
    ['a wrong type', ['count', 'up', '1', '--step', 'abc'], "nexus count up: option '-s, --step <step>' argument 'abc' is invalid: expected a number; see `nexus help count up` (plugin counter)"],
    ['a wrong argument type', ['count', 'up', 'one'], "nexus count up: command-argument value 'one' is invalid for argument 'from': expected a whole number; see `nexus help count up` (plugin counter)"],
    ['a value not among the choices', ['count', 'up', '1', '--style', 'loud'], "nexus count up: option '--style <style>' argument 'loud' is invalid: allowed choices are plain, fancy; see `nexus help count up` (plugin counter)"],
    ['no sub-command', ['count'], 'nexus count: name a sub-command: up or reset; see `nexus help count` (plugin counter)'],
    ['what the command itself rejects', ['count', 'up', '1', '--loud', '--style', 'fancy'], 'nexus count up: --loud and --style fancy do not mix; see `nexus help count up` (plugin counter)'],
    ['--json where there is none', ['--json', 'count', 'reset'], 'nexus count reset: it has no JSON output, so --json does not apply; see `nexus help count reset` (plugin counter)'],
    ['a bad global option', ['count', 'up', '1', '--log-level', 'loud'], "nexus count up: option '--log-level <level>' argument 'loud' is invalid: allowed choices are trace, debug, info, warn, error, silent; see `nexus help count up` (plugin counter)"],
    ['an unknown command', ['cuont'], "nexus: unknown command 'cuont'; did you mean count?; see `nexus --help`"],
  ])('answers %s with one line and exit code 2', async (_what, args, message) => {
    const { dir } = workspace();
    const { code, stdout, stderr } = await nexus(args, dir);
    expect({ code, stdout, stderr }).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('lists every command in --help, plugins included, from manifests alone', async () => {
    const { dir, log } = workspace();
    const { code, stdout } = await nexus(['--help'], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Commands:\n {2}plugins/m);
    expect(stdout).toMatch(/^Plugin commands:\n/m);
    expect(stdout).toMatch(/^ {2}count \[options\] +Count things$/m);
    expect(stdout).toMatch(/^ {2}migrate \[options\] +Apply, revert or list schema migrations/m);
    expect(existsSync(log)).toBe(false);
  });

  it('prints the same help for `nexus help <command>` and `nexus <command> --help`, without loading the plugin', async () => {
    const { dir, log } = workspace();
    const viaHelp = await nexus(['help', 'count', 'up'], dir);
    const viaFlag = await nexus(['count', 'up', '--help'], dir);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaHelp.stdout).toMatch(/^Usage: nexus count up \[options\] <from> \[labels\.\.\.\]/);
    expect(viaHelp.stdout).toMatch(/-s, --step <step> +how far each step goes \(default: 1\)/);
    expect(viaHelp.stdout).toMatch(/--style <style> +how to print \(choices: "plain", "fancy"\)/);
    expect((await nexus(['help', 'count'], dir)).stdout).toMatch(/Contributed by the plugin counter/);
    expect(await nexus(['help', 'nope'], dir)).toMatchObject({ code: 2, stderr: 'nexus: there is no command "nope"; see `nexus --help`\n' });
    expect(existsSync(log)).toBe(false);
  });

  it('generates completion for bash that completes commands, sub-commands, options and choices', async () => {
    const { dir } = workspace();
    const script = (await nexus(['completion', 'bash'], dir)).stdout;
    const file = writeFile(join(dir, 'nexus.bash'), script);
    const complete = (words: string[]) =>
      execFileSync('bash', ['-c', `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _nexus_completion; printf '%s\\n' "\${COMPREPLY[@]}"`], {
        encoding: 'utf8',
      })
        .split('\n')
        .filter(Boolean);
    expect(complete(['nexus', 'co']).sort()).toEqual(['completion', 'config', 'count']);
    expect(complete(['nexus', 'count', ''])).toEqual(expect.arrayContaining(['up', 'reset']));
    expect(complete(['nexus', 'count', 'up', '--s'])).toEqual(['--step', '--style']);
    expect(complete(['nexus', 'count', 'up', '--style', ''])).toEqual(['plain', 'fancy']);
    expect(complete(['nexus', '--config', 'x.yaml', 'plugins', 'l'])).toEqual(['list']);
    expect(complete(['nexus', 'completion', '']).slice(0, 3)).toEqual(['bash', 'zsh', 'fish']);
    expect(execFileSync('bash', ['-c', `source ${file}; complete -p nexus`], { encoding: 'utf8' })).toBe('complete -F _nexus_completion nexus\n');
  });

  it('generates completion for zsh and fish naming every command and option', async () => {
    const { dir } = workspace();
    const zsh = (await nexus(['completion', 'zsh'], dir)).stdout;
    expect(zsh).toMatch(/^#compdef nexus\n/);
    expect(zsh).toContain("'count up') commands=(); options=('--step:how far each step goes' '-s:how far each step goes'");
    expect(zsh).toContain("'count up|--style') reply=('plain' 'fancy')");
    expect(zsh).toContain('compdef _nexus nexus');
    const fish = (await nexus(['completion', 'fish'], dir)).stdout;
    expect(fish).toContain(`complete -c nexus -n "__nexus_at 'count'" -a 'up' -d 'count up from a number'`);
    expect(fish).toContain(`complete -c nexus -n "__nexus_at 'count up'" -l style -x -a 'plain fancy' -d 'how to print'`);
    expect(fish).toContain(`complete -c nexus -n "__nexus_at 'plugins'" -a 'list'`);
    expect(await nexus(['completion', 'tcsh'], dir)).toMatchObject({ code: 2 });
  });

  it('leaves out a plugin command named like a host command, and says so', async () => {
    const { dir } = workspace();
    writePlugin(join(dir, 'plugins'), { id: 'shadow', manifest: { contributes: { commands: [{ name: 'serve', description: 'not the real one' }] } } });
    const { code, stdout, stderr } = await nexus(['--help'], dir);
    expect(code).toBe(0);
    expect(stderr).toContain('nexus: warning: plugin shadow declares the command "serve", which is a host command, so it is left out; rename it in');
    expect(stdout).not.toContain('not the real one');
  });

  it('rejects a manifest whose options take a host flag', async () => {
    const { dir } = workspace();
    writePlugin(join(dir, 'plugins'), { id: 'greedy', manifest: { contributes: { commands: [{ name: 'greedy', options: [{ name: 'config', type: 'string' }] }] } } });
    const { stdout } = await nexus(['plugins', 'list', '--json'], dir);
    const greedy = (JSON.parse(stdout) as { id: string; state: string; diagnostics: { message: string }[] }[]).find((p) => p.id === 'greedy')!;
    expect(greedy.state).toBe('failed');
    expect(greedy.diagnostics[0]!.message).toMatch(/\/contributes\/commands\/0\/options\/0\/name/);
    expect(readFileSync(join(dir, 'nexus.yaml'), 'utf8')).toContain('paths');
  });
});
