import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CliExit, type CliIo } from '../../../src/cli/cli-context.js';
import { ServiceCommand, type ServiceHost } from '../../../src/cli/commands/service/index.js';
import { auditServiceUnits, defaultServiceLocations, repairServiceUnits } from '../../../src/kernel/doctor/index.js';
import { renderLaunchAgent, renderSystemdUnit, SERVICE_PATH } from '../../../src/kernel/service/index.js';
import { tempDir } from '../../helpers/fixtures.js';
import { emptyBin, fakeTools } from './fake-tools.js';

const cliPath = join(import.meta.dirname, '../../../dist/cli/main.js');
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A real HTTP server on 127.0.0.1 standing in for the installed gateway's /readyz. */
async function readyServer(status = 200): Promise<number> {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/readyz' ? status : 404;
    res.end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const value: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: {}, cwd: '/' };
  return { io: value, out: () => out.join(''), err: () => err.join('') };
}

function host(overrides: Partial<ServiceHost> & { bin: string; port?: number }): ServiceHost {
  const home = tempDir('nexus-user-home-');
  return {
    platform: 'linux',
    env: { PATH: overrides.bin, XDG_RUNTIME_DIR: '/run/user/1000', HOME: home },
    home,
    nexusHome: join(home, '.nexus'),
    user: 'ada',
    uid: 1000,
    nodePath: process.execPath,
    cliPath,
    server: { host: '0.0.0.0', http_port: overrides.port ?? 1 },
    readyTimeoutMs: 5_000,
    ...overrides,
  };
}

const spec = { nodePath: '/usr/bin/node', cliPath: '/opt/nexus/dist/cli/main.js', args: ['serve', '--profile', 'work'], nexusHome: '/home/ada/.nexus', profile: 'work' };

describe('service unit templates', () => {
  it('renders the systemd user unit (golden)', async () => {
    await expect(renderSystemdUnit(spec)).toMatchFileSnapshot('./golden/nexus-work.service');
    expect(renderSystemdUnit(spec)).toContain(`Environment=PATH=${SERVICE_PATH}`);
  });

  it('renders the LaunchAgent (golden)', async () => {
    await expect(renderLaunchAgent(spec)).toMatchFileSnapshot('./golden/dev.nexus.gateway.work.plist');
  });

  it('quotes paths with spaces and escapes % in the unit', () => {
    const unit = renderSystemdUnit({ ...spec, cliPath: '/opt/my nexus/100%/main.js' });
    expect(unit).toContain('ExecStart=/usr/bin/node "/opt/my nexus/100%%/main.js" serve --profile work');
  });

  it('passes systemd-analyze verify when the node binary and CLI exist', (ctx) => {
    const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (analyze.error) ctx.skip(); // systemd-analyze is not installed here: nothing to verify with
    const dir = tempDir('nexus-unit-');
    const unit = join(dir, 'nexus.service');
    writeFileSync(unit, renderSystemdUnit({ nodePath: process.execPath, cliPath, args: ['serve'], nexusHome: dir }));
    const result = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    // Only problems in our unit count; a container's own missing units are not ours to fix.
    const ours = `${result.stderr}${result.stdout}`.split('\n').filter((line) => line.includes(unit));
    expect(ours).toEqual([]);
  });
});

describe('nexus service on Linux (fake systemctl, loginctl and journalctl)', () => {
  it('install writes the unit, reloads, enables, restarts, waits for /readyz and prints the linger command', async () => {
    const port = await readyServer();
    const tools = fakeTools(['systemctl', 'loginctl', 'journalctl'], { loginctl: 'Linger=no' });
    const h = host({ bin: tools.bin, port, profile: 'work' });
    const out = io();
    expect(await new ServiceCommand(h, out.io).run('install')).toBe(0);
    const unit = join(h.home, '.config/systemd/user/nexus-work.service');
    expect(readFileSync(unit, 'utf8')).toBe(renderSystemdUnit({ nodePath: process.execPath, cliPath, args: ['serve', '--profile', 'work'], nexusHome: h.nexusHome, profile: 'work' }));
    expect(tools.calls()).toEqual([
      'systemctl --user show-environment',
      'systemctl --user daemon-reload',
      'systemctl --user enable nexus-work.service',
      'systemctl --user restart nexus-work.service',
      'loginctl show-user ada -p Linger',
    ]);
    expect(out.out()).toContain(`nexus-work.service is ready (http://127.0.0.1:${port}/readyz answered HTTP 200)`);
    expect(out.err()).toContain('\n  sudo loginctl enable-linger ada\n');
  });

  it('says nothing about linger when it is on', async () => {
    const port = await readyServer();
    const tools = fakeTools(['systemctl', 'loginctl'], { loginctl: 'Linger=yes' });
    const out = io();
    await new ServiceCommand(host({ bin: tools.bin, port }), out.io).run('install');
    expect(out.err()).not.toContain('linger');
  });

  it('a missing systemctl: what, where and how to fix, and nothing on disk', async () => {
    const h = host({ bin: emptyBin() });
    const error = await new ServiceCommand(h, io().io).run('install').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliExit);
    expect((error as CliExit).message).toMatch(/^systemctl was not found on PATH \(.+\); nexus service needs it to manage systemd's user units\. Nothing was written\. Install it, put it on PATH, or run Nexus in the foreground instead: nexus serve\.$/);
    expect(readdirSync(h.home)).toEqual([]);
  });

  it('no user bus (no XDG_RUNTIME_DIR, or systemctl --user failing): says how to run in the foreground, nothing on disk', async () => {
    const tools = fakeTools(['systemctl']);
    const h = host({ bin: tools.bin, profile: 'work' });
    const noRuntime = await new ServiceCommand({ ...h, env: { PATH: tools.bin } }, io().io).run('install').catch((e: unknown) => e);
    expect((noRuntime as CliExit).message).toContain('no systemd user manager is reachable (XDG_RUNTIME_DIR is not set)');
    expect((noRuntime as CliExit).message).toContain('run Nexus in the foreground instead: nexus serve --profile work');

    const failing = fakeTools(['systemctl'], {}, ['systemctl']);
    const busless = await new ServiceCommand({ ...h, env: { PATH: failing.bin, XDG_RUNTIME_DIR: '/run/user/1000' } }, io().io).run('install').catch((e: unknown) => e);
    expect((busless as CliExit).message).toContain('`systemctl --user` failed: Failed to connect to bus: No medium found');
    expect(readdirSync(h.home)).toEqual([]);
  });

  it('install fails clearly when /readyz never answers', async () => {
    const closed = await readyServer();
    await new Promise((r) => servers.pop()!.close(r));
    const tools = fakeTools(['systemctl', 'loginctl']);
    const error = await new ServiceCommand(host({ bin: tools.bin, port: closed, readyTimeoutMs: 300 }), io().io).run('install').catch((e: unknown) => e);
    expect((error as CliExit).message).toMatch(/^nexus\.service is installed and was started, but http:\/\/127\.0\.0\.1:\d+\/readyz did not answer within 0.3 s \(last: ECONNREFUSED\)\. See why with `nexus service logs`/);
  });

  it('start, stop, restart, status, logs and uninstall call systemctl and journalctl for the unit', async () => {
    const tools = fakeTools(['systemctl', 'journalctl']);
    const h = host({ bin: tools.bin });
    const unit = join(h.home, '.config/systemd/user/nexus.service');
    const service = () => new ServiceCommand(h, io().io);
    await expect(service().run('start')).rejects.toThrow('nexus.service is not installed');
    mkdirSync(join(h.home, '.config/systemd/user'), { recursive: true });
    writeFileSync(unit, 'x');
    await service().run('restart');
    await service().run('stop');
    expect(await service().run('status')).toBe(0);
    expect(await service().run('logs', { lines: 50 })).toBe(0);
    await service().run('uninstall');
    expect(existsSync(unit)).toBe(false);
    expect(tools.calls().filter((c) => c !== 'systemctl --user show-environment')).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user restart nexus.service',
      'systemctl --user stop nexus.service',
      'systemctl --user status --no-pager nexus.service',
      'journalctl --user -u nexus.service -n 50 --no-pager',
      'systemctl --user disable --now nexus.service',
      'systemctl --user daemon-reload',
    ]);
  });
});

describe('nexus service on macOS (fake launchctl)', () => {
  it('install writes the LaunchAgent, bootstraps and kickstarts it in the gui domain', async () => {
    const port = await readyServer();
    const tools = fakeTools(['launchctl']);
    const h = host({ bin: tools.bin, port, platform: 'darwin', uid: 501 });
    expect(await new ServiceCommand(h, io().io).run('install')).toBe(0);
    const plist = join(h.home, 'Library/LaunchAgents/dev.nexus.gateway.plist');
    expect(readFileSync(plist, 'utf8')).toContain('<string>dev.nexus.gateway</string>');
    expect(tools.calls()).toEqual(['launchctl bootout gui/501/dev.nexus.gateway', `launchctl bootstrap gui/501 ${plist}`, 'launchctl kickstart -k gui/501/dev.nexus.gateway']);
    expect(statSync(join(h.nexusHome, 'logs')).isDirectory()).toBe(true);
  });
});

describe('doctor --audit --repair and a stale unit', () => {
  it('rewrites a unit whose node binary is gone to run the current node, and the audit is clean after', () => {
    const home = tempDir('nexus-user-home-');
    const dir = join(home, '.config/systemd/user');
    mkdirSync(dir, { recursive: true });
    const unit = join(dir, 'nexus-work.service');
    writeFileSync(unit, renderSystemdUnit({ nodePath: '/home/ada/.nvm/versions/node/v20.1.0/bin/node', cliPath, args: ['serve', '--profile', 'work'], nexusHome: home, profile: 'work' }));
    const env = { HOME: home, PATH: '/usr/bin:/bin' };
    const locations = defaultServiceLocations(env, home);
    expect(locations.map((l) => l.path)).toContain(unit);
    expect(auditServiceUnits(locations, env, home)).toEqual([expect.objectContaining({ code: 'audit.service-broken', message: expect.stringContaining('/home/ada/.nvm/versions/node/v20.1.0/bin/node, which does not exist') })]);

    const repaired = repairServiceUnits(locations, { nodePath: process.execPath, cliPath }, home);
    expect(repaired).toEqual([expect.objectContaining({ code: 'audit.service-repaired', hint: expect.stringContaining('nexus service restart') })]);
    expect(readFileSync(unit, 'utf8')).toContain(`ExecStart=${process.execPath} ${cliPath} serve --profile work`);
    expect(auditServiceUnits(locations, env, home)).toEqual([expect.objectContaining({ level: 'info', message: expect.stringContaining('installed') })]);
  });

  it('leaves a stale unit it did not write alone, and says so', () => {
    const home = tempDir('nexus-user-home-');
    const dir = join(home, '.config/systemd/user');
    mkdirSync(dir, { recursive: true });
    const text = '[Service]\nExecStart=/gone/node /gone/main.js serve\n';
    writeFileSync(join(dir, 'nexus.service'), text);
    const findings = repairServiceUnits(defaultServiceLocations({ HOME: home }, home), { nodePath: process.execPath, cliPath }, home);
    expect(findings).toEqual([expect.objectContaining({ code: 'audit.service-not-ours' })]);
    expect(readFileSync(join(dir, 'nexus.service'), 'utf8')).toBe(text);
  });
});

// The CLI tree has the service commands (so `nexus help service` and completion list them).
describe('nexus service on the command line', () => {
  it('lists its sub-commands in help', () => {
    const help = execFileSync(process.execPath, [cliPath, 'service', '--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, NEXUS_HOME: tempDir('nexus-home-') } });
    for (const verb of ['install', 'uninstall', 'start', 'stop', 'restart', 'status', 'logs']) expect(help).toContain(verb);
  });

  it('install without systemctl on PATH exits 1, says what to do, and writes nothing under HOME or NEXUS_HOME', (ctx) => {
    if (process.platform !== 'linux') ctx.skip(); // the systemd branch runs on Linux only
    const home = tempDir('nexus-user-home-');
    const run = spawnSync(process.execPath, [cliPath, 'service', 'install'], { encoding: 'utf8', cwd: home, env: { PATH: emptyBin(), HOME: home, NEXUS_HOME: join(home, '.nexus') } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^nexus: systemctl was not found on PATH \(.+\); nexus service needs it to manage systemd's user units\. Nothing was written\./);
    expect(readdirSync(home)).toEqual([]);
  });
});
