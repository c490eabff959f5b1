import { chmodSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditServiceUnits, runDoctor, type ServiceUnitLocation } from '../../src/kernel/doctor/index.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';
import { doctorWorkspace } from './doctor-fixtures.js';

const servers: Server[] = [];
afterEach(async () => {
  while (servers.length > 0) await new Promise((resolve) => servers.pop()!.close(resolve));
});

function holdPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const port = await holdPort();
  await new Promise((resolve) => servers.pop()!.close(resolve));
  return port;
}

describe('doctor --audit', () => {
  it('reports a configured port that another process holds on 127.0.0.1, and the free ones as free', async () => {
    const held = await holdPort();
    const free = await freePort();
    const { configPath, loadKernel } = doctorWorkspace(`server:\n  host: 127.0.0.1\n  grpc_port: ${held}\n  http_port: ${free}\n  metrics_port: 0\n`);
    const report = await runDoctor({ configPath, loadKernel, audit: true, serviceLocations: [] });
    const ports = report.results.find((r) => r.group === 'audit' && r.id === 'ports')!;
    expect(ports.status).toBe('warn');
    expect(ports.findings).toEqual([
      expect.objectContaining({ level: 'warning', code: 'audit.port-unavailable', message: `server.grpc_port ${held} is in use on 127.0.0.1` }),
      { level: 'info', message: `server.http_port ${free} is free on 127.0.0.1` },
    ]);
    expect(ports.findings[0]!.hint).toContain('change server.grpc_port');
  });

  it('also tries the configured host, and flags two settings sharing one port', async () => {
    const held = await holdPort();
    const { configPath, loadKernel } = doctorWorkspace(`server:\n  host: 0.0.0.0\n  grpc_port: ${held}\n  http_port: ${held}\n`);
    const report = await runDoctor({ configPath, loadKernel, audit: true, serviceLocations: [] });
    const ports = report.results.find((r) => r.id === 'ports')!;
    expect(ports.status).toBe('fail');
    expect(ports.findings.map((f) => f.message)).toEqual([
      `server.grpc_port ${held} is in use on 127.0.0.1`,
      `server.grpc_port ${held} is in use on 0.0.0.0`,
      `server.http_port and server.grpc_port are both ${held}; only one listener can have it`,
    ]);
  });

  it('reports installed service units and whether what they run exists', () => {
    const dir = tempDir();
    const binary = writeFile(join(dir, 'bin', 'nexus'), '#!/bin/sh\n');
    chmodSync(binary, 0o755);
    const config = writeFile(join(dir, 'nexus.yaml'), 'version: 1\n');
    const locations: ServiceUnitLocation[] = [
      { kind: 'systemd user unit', path: writeFile(join(dir, 'user', 'nexus.service'), `[Service]\nExecStart=${binary} serve --config ${config}\nRestart=on-failure\n`) },
      { kind: 'systemd system unit', path: writeFile(join(dir, 'system', 'nexus.service'), `[Service]\nExecStart=-/opt/gone/nexus serve\n`) },
      {
        kind: 'launchd agent',
        path: writeFile(
          join(dir, 'agents', 'dev.nexus.gateway.plist'),
          `<?xml version="1.0"?>\n<plist><dict><key>ProgramArguments</key><array><string>${process.execPath}</string><string>${join(dir, 'missing', 'main.js')}</string><string>serve</string></array></dict></plist>\n`,
        ),
      },
      { kind: 'systemd user unit', path: join(dir, 'nowhere', 'nexus.service') },
    ];
    expect(auditServiceUnits(locations, { PATH: '' })).toEqual([
      { level: 'info', message: `systemd user unit installed: ${locations[0]!.path} runs ${binary} serve` },
      expect.objectContaining({ level: 'error', code: 'audit.service-broken', message: `the systemd system unit ${locations[1]!.path} runs /opt/gone/nexus, which does not exist` }),
      expect.objectContaining({ level: 'error', message: `the launchd agent ${locations[2]!.path} runs node ${join(dir, 'missing', 'main.js')}, which does not exist` }),
    ]);
  });

  it('finds a unit command on PATH, and warns when its --config file is gone', () => {
    const dir = tempDir();
    writeFile(join(dir, 'bin', 'nexus'), '#!/bin/sh\n');
    const unit = writeFile(join(dir, 'nexus.service'), `[Service]\nExecStart=nexus serve --config=${join(dir, 'gone.yaml')}\n`);
    expect(auditServiceUnits([{ kind: 'systemd user unit', path: unit }], { PATH: join(dir, 'bin') })).toEqual([
      expect.objectContaining({ level: 'warning', code: 'audit.service-config-missing', message: `the systemd user unit ${unit} passes --config ${join(dir, 'gone.yaml')}, which does not exist` }),
    ]);
  });

  it('says when no service unit is installed', async () => {
    const dir = tempDir();
    const locations: ServiceUnitLocation[] = [{ kind: 'systemd user unit', path: join(dir, 'nexus.service') }];
    expect(auditServiceUnits(locations)).toEqual([{ level: 'info', message: `no Nexus service is installed (looked for ${locations[0]!.path})` }]);
  });
});
