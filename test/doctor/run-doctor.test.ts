import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runDoctor, type DoctorCheckResult, type DoctorReport } from '../../src/kernel/doctor/index.js';
import { renderSystemdUnit } from '../../src/kernel/service/index.js';
import { tempDir } from '../helpers/fixtures.js';
import { doctorWorkspace } from './doctor-fixtures.js';

const PLUGINS = 'plugins:\n  load:\n    paths: [./plugins]\n';

function result(report: DoctorReport, group: string, id: string): DoctorCheckResult {
  const found = report.results.find((r) => r.group === group && r.id === id);
  if (!found) throw new Error(`no result ${group}/${id} in ${report.results.map((r) => `${r.group}/${r.id}`).join(', ')}`);
  return found;
}

describe('nexus doctor checks', () => {
  it('runs contributed checks: a failing one fails, a throwing one fails with its message, a passing one is ok', async () => {
    const { configPath, loadKernel } = doctorWorkspace(PLUGINS, {
      acme: {
        'disk-space': `return [{ level: 'error', message: 'only 1 MB free on /var/lib/nexus', hint: 'free some space' }];`,
        explodes: `throw new Error('cannot open the socket');`,
        healthy: `return [];`,
      },
    });
    const report = await runDoctor({ configPath, loadKernel });

    expect(report.ok).toBe(false);
    expect(result(report, 'checks', 'disk-space')).toMatchObject({
      status: 'fail',
      pluginId: 'acme',
      description: 'checks disk-space',
      findings: [{ level: 'error', message: 'only 1 MB free on /var/lib/nexus', hint: 'free some space', pluginId: 'acme' }],
    });
    expect(result(report, 'checks', 'explodes')).toMatchObject({ status: 'fail', findings: [{ level: 'error', message: 'the check threw: cannot open the socket' }] });
    expect(result(report, 'checks', 'healthy')).toMatchObject({ status: 'ok', findings: [] });
    expect(result(report, 'plugins', 'acme')).toMatchObject({ status: 'ok' });
    expect(report.results.map((r) => r.group)).toEqual(['config', 'config', 'config', 'plugins', 'checks', 'checks', 'checks']);
  });

  it('fails a contributed check that hangs past the timeout and aborts its signal', async () => {
    const { dir, configPath, loadKernel } = doctorWorkspace(PLUGINS, (workspace) => ({
      slow: {
        hangs: `return new Promise(() => ctx.signal.addEventListener('abort', () => appendFileSync(${JSON.stringify(join(workspace, 'abort.log'))}, 'aborted\\n')));`,
      },
    }));
    // The timeout covers loading the plugin too, so it leaves room for that.
    const report = await runDoctor({ configPath, loadKernel, timeoutMs: 2500 });
    const hangs = result(report, 'checks', 'hangs');
    expect(hangs.status).toBe('fail');
    expect(hangs.findings[0]!.message).toBe('the check did not finish within 2500 ms and was stopped');
    await sleep(20);
    expect(readFileSync(join(dir, 'abort.log'), 'utf8')).toBe('aborted\n');
  });

  it('turns a config file that does not load into findings with file:line:col, and skips what needs the kernel', async () => {
    const { configPath, loadKernel } = doctorWorkspace('plugins:\n  load:\n    paths: [./plugins\nlogging: {}\n');
    const report = await runDoctor({ configPath, loadKernel, audit: true, serviceLocations: [] });
    const file = result(report, 'config', 'file');
    expect(file.status).toBe('fail');
    expect(file.findings[0]).toMatchObject({ level: 'error', code: 'config.yaml-syntax', where: expect.stringMatching(new RegExp(`^${configPath}:\\d+:\\d+$`)) });
    expect(result(report, 'config', 'migrations').findings[0]!.message).toBe('not checked: the file does not parse (see config/file)');
    expect(report.results.some((r) => r.group === 'plugins' || r.id === 'validation')).toBe(false);
    expect(result(report, 'audit', 'ports')).toMatchObject({ status: 'warn', findings: [{ message: 'not checked: the config does not load' }] });
  });

  it('with --audit --repair rewrites a stale unit written by nexus service install to run the current node', async () => {
    const { configPath, loadKernel } = doctorWorkspace('logging: {}\n');
    const unitDir = tempDir('nexus-units-');
    const unit = join(unitDir, 'nexus.service');
    writeFileSync(unit, renderSystemdUnit({ nodePath: '/gone/bin/node', cliPath: configPath, args: ['serve'], nexusHome: unitDir }));
    const serviceLocations = [{ kind: 'systemd user unit' as const, path: unit }];
    const audit = await runDoctor({ configPath, loadKernel, audit: true, serviceLocations });
    expect(result(audit, 'audit', 'services').status).toBe('fail');
    expect(readFileSync(unit, 'utf8')).toContain('/gone/bin/node');

    const repaired = await runDoctor({ configPath, loadKernel, audit: true, repair: true, serviceLocations, currentInstall: { nodePath: process.execPath, cliPath: configPath } });
    expect(result(repaired, 'audit', 'services').findings[0]).toMatchObject({ code: 'audit.service-repaired' });
    expect(result(repaired, 'audit', 'services').status).not.toBe('fail');
    expect(readFileSync(unit, 'utf8')).toContain(`ExecStart=${process.execPath} ${configPath} serve`);
  });

  it('reports a missing environment variable with the position that uses it', async () => {
    const { configPath, loadKernel } = doctorWorkspace('logging:\n  level: ${NEXUS_TEST_UNSET_LEVEL}\n');
    const report = await runDoctor({ configPath, loadKernel });
    // The file parses, so the kernel loads it and reports the problem with its other findings.
    expect(result(report, 'config', 'file').status).toBe('ok');
    expect(result(report, 'config', 'validation').findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'config.env-missing', where: `${configPath}:2:10 (/logging/level)`, hint: expect.stringContaining('NEXUS_TEST_UNSET_LEVEL') }),
      ]),
    );
  });

  it('reports kernel diagnostics (unknown sections, invalid kernel settings) at their positions', async () => {
    const { configPath, loadKernel } = doctorWorkspace('logging:\n  level: loud\nmystery:\n  x: 1\n');
    const report = await runDoctor({ configPath, loadKernel });
    const validation = result(report, 'config', 'validation');
    expect(validation.status).toBe('fail');
    expect(validation.findings.map((f) => [f.code, f.where])).toEqual(
      expect.arrayContaining([
        ['config.invalid', `${configPath}:2:10 (/logging/level)`],
        ['config.unknown-section', `${configPath}:3:1 (/mystery)`],
      ]),
    );
  });

  it('warns about a pending migration with a diff that hides secrets, and applies it with repair', async () => {
    const legacy = 'llm:\n  providers:\n    anthropic:\n      api_key: sk-ant-very-secret\nplugins:\n  sandbox:\n    enabled: true\n';
    const { configPath, loadKernel } = doctorWorkspace(legacy);

    const pending = await runDoctor({ configPath, loadKernel });
    const migrations = result(pending, 'config', 'migrations');
    expect(migrations.status).toBe('warn');
    expect(migrations.findings[0]).toMatchObject({ code: 'config.migration-pending', hint: expect.stringContaining('nexus doctor --repair') });
    expect(migrations.findings.map((f) => f.message)).toContain('pending: moved plugins.sandbox to tools.sandbox');
    expect(migrations.detail).toContain('+tools:');
    expect(migrations.detail).toContain('api_key: <redacted>');
    expect(JSON.stringify(pending)).not.toContain('sk-ant-very-secret');
    expect(readFileSync(configPath, 'utf8')).toBe(legacy);

    const repaired = await runDoctor({ configPath, loadKernel, repair: true });
    const applied = result(repaired, 'config', 'migrations');
    expect(applied.status).toBe('ok');
    expect(applied.findings.map((f) => f.message)).toEqual([
      `migrated the config from version 0 to 1; the previous file is ${configPath}.bak`,
      'moved plugins.sandbox to tools.sandbox',
      'removed plugins, which held nothing else',
      'set version: 1',
    ]);
    expect(applied.findings[1]!.where).toBe(`${configPath}.bak:6:3`);
    expect(readFileSync(configPath, 'utf8')).toBe('version: 1\nllm:\n  providers:\n    anthropic:\n      api_key: sk-ant-very-secret\ntools:\n  sandbox:\n    enabled: true\n');
    expect(readFileSync(`${configPath}.bak`, 'utf8')).toBe(legacy);
    expect(JSON.stringify(repaired)).not.toContain('sk-ant-very-secret');
  });

  it('fails the migration check on a conflict and writes nothing, even with repair', async () => {
    const text = 'plugins:\n  websearch:\n    provider: brave\ntools:\n  websearch:\n    provider: searxng\n';
    const { configPath, loadKernel } = doctorWorkspace(text);
    const report = await runDoctor({ configPath, loadKernel, repair: true });
    const migrations = result(report, 'config', 'migrations');
    expect(migrations.status).toBe('fail');
    expect(migrations.findings[0]).toMatchObject({ level: 'error', code: 'config.migration-conflict', where: `${configPath}:2:3` });
    expect(readFileSync(configPath, 'utf8')).toBe(text);
    expect(existsSync(`${configPath}.bak`)).toBe(false);
  });

  it('reports a plugin whose config slice is invalid under plugins, with where the value is', async () => {
    const { configPath, loadKernel } = doctorWorkspace(`${PLUGINS}  entries:\n    strict:\n      config:\n        retries: many\n`, { strict: { ok: 'return [];' } });
    const manifestPath = join(configPath, '..', 'plugins', 'strict', 'nexus.plugin.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown>;
    writeFileSync(manifestPath, JSON.stringify({ ...manifest, configSchema: { type: 'object', properties: { retries: { type: 'integer' } } } }));

    const report = await runDoctor({ configPath, loadKernel });
    const strict = result(report, 'plugins', 'strict');
    expect(strict.status).toBe('fail');
    expect(strict.findings[0]).toMatchObject({ level: 'error', pluginId: 'strict', where: expect.stringContaining(`${configPath}:7:18`) });
  });

  it('with --probe, runs probe checks with ctx.probe set, in their own group', async () => {
    const { configPath, loadKernel } = doctorWorkspace(PLUGINS, {
      pg: { 'postgres-probe': `return [{ level: 'info', message: ctx.probe ? 'connected' : 'not probed' }];` },
    });
    const probed = await runDoctor({ configPath, loadKernel, probe: true });
    expect(result(probed, 'probes', 'postgres-probe').findings).toEqual([{ level: 'info', message: 'connected', pluginId: 'pg' }]);
    expect(probed.results.some((r) => r.id === 'probes')).toBe(false);
  });

  it('with --probe and no probe contributed, says so in one info line', async () => {
    const { configPath, loadKernel } = doctorWorkspace(PLUGINS, { acme: { 'disk-space': 'return [];' } });
    const report = await runDoctor({ configPath, loadKernel, probe: true });
    expect(result(report, 'probes', 'probes')).toMatchObject({
      status: 'ok',
      findings: [{ level: 'info', message: 'no installed plugin contributes a probe, so nothing live was checked' }],
    });
    const without = await runDoctor({ configPath, loadKernel });
    expect(without.results.some((r) => r.group === 'probes')).toBe(false);
  });

  it('reports progress for every check, with a total that grows as phases reveal checks', async () => {
    const { configPath, loadKernel } = doctorWorkspace(PLUGINS, { acme: { one: 'return [];' } });
    const seen: string[] = [];
    const report = await runDoctor({ configPath, loadKernel, onProgress: (p) => seen.push(`${p.group}/${p.id} ${p.index}/${p.total}`) });
    expect(seen).toEqual(['config/migrations 1/3', 'config/file 2/3', 'config/validation 3/5', 'plugins/acme 4/5', 'checks/one 5/5']);
    expect(report.results).toHaveLength(5);
  });
});
