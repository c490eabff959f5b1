import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliExit, type CliIo } from '../../src/cli/cli-context.js';
import { doctorCommand, doctorExitCode, doctorJson, ProgressLine, renderDoctorText } from '../../src/cli/commands/doctor/index.js';
import type { DoctorReport } from '../../src/kernel/doctor/index.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';

const REPORT: DoctorReport = {
  ok: false,
  results: [
    { group: 'config', id: 'file', status: 'ok', description: '/srv/nexus.yaml loads', findings: [], durationMs: 1.234 },
    {
      group: 'config',
      id: 'validation',
      status: 'warn',
      findings: [{ level: 'warning', code: 'config.unknown-plugin', message: 'plugins.entries.ech names "ech"', where: '/srv/nexus.yaml:4:5 (/plugins/entries/ech)', hint: 'did you mean "echo"?' }],
      durationMs: 0.5,
    },
    { group: 'checks', id: 'disk', status: 'fail', pluginId: 'acme', findings: [{ level: 'error', message: 'disk full' }, { level: 'info', message: '1 MB free' }], durationMs: 12, detail: '@@ -1 +1 @@\n-a\n+b\n' },
  ],
};

function memoryIo(cwd: string, env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { NEXUS_HOME: join(cwd, '.home'), ...env }, cwd };
}

describe('doctor output', () => {
  it('prints checks grouped, marked ✓ ! ✗, with findings, positions and hints indented below', () => {
    expect(renderDoctorText(REPORT)).toBe(
      [
        'config',
        '  ✓ file  /srv/nexus.yaml loads',
        '  ! validation',
        '      warning [config.unknown-plugin]: plugins.entries.ech names "ech"',
        '        at /srv/nexus.yaml:4:5 (/plugins/entries/ech)',
        '        hint: did you mean "echo"?',
        '',
        'checks',
        '  ✗ disk',
        '      error: disk full',
        '      - 1 MB free',
        '      @@ -1 +1 @@',
        '      -a',
        '      +b',
        '',
        '3 checks: 1 ok, 1 with warnings, 1 failed.',
        '',
      ].join('\n'),
    );
  });

  it('shapes --json as { ok, groups: [{ group, status, checks }] }', () => {
    const json = doctorJson(REPORT);
    expect(json.ok).toBe(false);
    expect(json.groups.map((g) => [g.group, g.status, g.checks.map((c) => c.id)])).toEqual([
      ['config', 'warn', ['file', 'validation']],
      ['checks', 'fail', ['disk']],
    ]);
    expect(json.groups[0]!.checks[0]).toEqual({ id: 'file', status: 'ok', description: '/srv/nexus.yaml loads', findings: [], durationMs: 1.2 });
    expect(json.groups[1]!.checks[0]).toMatchObject({ pluginId: 'acme', detail: '@@ -1 +1 @@\n-a\n+b\n' });
  });

  it('exits 1 when a check failed and 0 when there are only warnings', () => {
    expect(doctorExitCode(REPORT)).toBe(1);
    expect(doctorExitCode({ ok: true, results: REPORT.results.slice(0, 2) })).toBe(0);
    expect(doctorExitCode({ ok: true, results: [] })).toBe(0);
  });

  it('rewrites one progress line in place and clears it', () => {
    const written: string[] = [];
    const line = new ProgressLine((t) => written.push(t), 36);
    line.clear();
    line.update({ group: 'plugins', id: 'telegram', index: 2, total: 5 });
    line.update({ group: 'plugins', id: 'a-plugin-with-a-long-name', index: 3, total: 5 });
    line.clear();
    expect(written).toEqual(['\r\x1b[2Kchecking plugins: telegram… (2/5)', '\r\x1b[2Kchecking plugins: a-plugin-with-a-…', '\r\x1b[2K']);
  });

  it('runs end to end: prints JSON, draws no progress when piped, and exits 1 on a failing check', async () => {
    const dir = tempDir('nexus-doctor-cli-');
    writeFile(join(dir, 'nexus.yaml'), 'logging:\n  level: loud\n');
    const io = memoryIo(dir);
    const code = await doctorCommand({}, io, { json: true }, { tty: false });
    const output = io.out.join('');
    expect(output).not.toContain('\r');
    const json = JSON.parse(output) as { ok: boolean; groups: { group: string; checks: { id: string; status: string }[] }[] };
    expect(json.ok).toBe(false);
    expect(json.groups[0]!.checks.find((c) => c.id === 'validation')?.status).toBe('fail');
    expect(code).toBe(1);
  });

  it('draws the progress line on a terminal, then the plain report', async () => {
    const dir = tempDir('nexus-doctor-cli-');
    writeFile(join(dir, 'nexus.yaml'), 'logging:\n  level: info\n');
    const io = memoryIo(dir);
    await doctorCommand({ config: 'nexus.yaml' }, io, {}, { tty: true, columns: 100 });
    const output = io.out.join('');
    expect(output.startsWith('\r\x1b[2Kchecking config: migrations… (1/')).toBe(true);
    const report = output.slice(output.lastIndexOf('\r\x1b[2K') + 5);
    expect(report).toMatch(/^config\n {2}✓ migrations/);
    expect(report).not.toContain('\r');
  });

  it('is a usage error to give both --config and --profile', async () => {
    const dir = tempDir('nexus-doctor-cli-');
    const error = await doctorCommand({ config: 'a.yaml', profile: 'work' }, memoryIo(dir), {}, { tty: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliExit);
    expect((error as CliExit).code).toBe(2);
  });
});
