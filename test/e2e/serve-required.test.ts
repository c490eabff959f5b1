import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { connectClients, nexusInstance, onCleanup, standardCheck } from './serve-harness.js';

/** A port something else already listens on. */
async function takenPort(): Promise<number> {
  const blocker: Server = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  onCleanup(() => new Promise((resolve) => blocker.close(resolve)));
  return (blocker.address() as AddressInfo).port;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

async function readyz(httpUrl: string): Promise<{ readonly status: number; readonly body: unknown }> {
  const response = await fetch(`${httpUrl}/readyz`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json() };
}

describe('e2e: nexus serve does not run without its gateway, HTTP server and database', { timeout: 90_000 }, () => {
  it('does not start with a typo in the server section: exit 1, naming the key, never claiming to run', async () => {
    const nexus = nexusInstance({ server: { hots: '127.0.0.1' } });
    const run = await nexus.cli(['serve']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Nexus is running');
    expect(run.stderr).toContain('nexus: cannot start.');
    expect(run.stderr).toContain('nexus serve cannot run without gateway: /server/hots: unknown key "hots"');
    expect(run.stderr).toContain('did you mean "host"?');
  });

  it('rejects a reload with that typo, and the gRPC API keeps serving', async () => {
    const nexus = nexusInstance({});
    const server = await nexus.serve();
    writeFileSync(nexus.configPath, stringify({ server: { grpc_port: 0, http_port: 0, hots: '127.0.0.1' } }));
    const reload = await nexus.cli(['config', 'reload']);
    expect(reload.code).toBe(1);
    expect(reload.stderr).toContain('Reload rejected');
    expect(reload.stderr).toContain('nexus serve cannot run without gateway: /server/hots: unknown key "hots"');

    expect(await standardCheck(connectClients(server.target).standardHealth)).toBe('SERVING');
    expect(await readyz(server.httpUrl)).toEqual({ status: 200, body: { status: 'ready', listeners: { http: 'serving', grpc: 'serving' } } });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('does not start when the HTTP port is taken, and says which port, once', async () => {
    const port = await takenPort();
    const nexus = nexusInstance({ server: { http_port: port } });
    const run = await nexus.cli(['serve']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Nexus is running');
    const reason = `cannot listen on 127.0.0.1:${port}: the address is already in use; set server.http_port to a free port (0 picks one) or stop the other process`;
    expect(occurrences(run.stderr, reason)).toBe(1);
  });

  it('does not start when the gRPC port is taken, saying so once in its own words, without grpc-js lines', async () => {
    const port = await takenPort();
    const nexus = nexusInstance({ server: { grpc_port: port } });
    const run = await nexus.cli(['serve']);
    expect(run.code).toBe(1);
    const reason = `cannot listen on 127.0.0.1:${port}: the address is already in use; set server.grpc_port to a free port (0 picks one) or stop the other process`;
    expect(run.stderr).toContain(`nexus: cannot start: the gateway did not open: ${reason}`);
    expect(occurrences(run.stderr, reason)).toBe(1);
    expect(run.stderr).not.toContain('No address added');
  });

  it('does not start when the database cannot be reached, saying so once, in plain words, with the fix', async () => {
    // Port 1 on loopback: nothing listens there, so connecting is refused at once.
    const nexus = nexusInstance({ database: { url: `postgres://nexus@127.0.0.1:1/nexus` } });
    const run = await nexus.cli(['serve']);
    expect(run.code).toBe(1);
    expect(run.stdout).not.toContain('Nexus is running');
    const reason = 'cannot connect to PostgreSQL at postgres://nexus@127.0.0.1:1/nexus: nothing accepts connections there (ECONNREFUSED); check database.url and that the server is running and reachable';
    expect(run.stderr).toContain(`nexus serve cannot run without storage-postgres: could not start: ${reason}`);
    expect(occurrences(run.stderr, 'cannot connect to PostgreSQL')).toBe(1);
    expect(run.stderr).not.toContain('activate()');
  });

  it('undoes a reload whose gateway cannot open on its new port, and serves on the old one again', async () => {
    const nexus = nexusInstance({ server: { grpc_port: await freePort() } });
    const server = await nexus.serve();
    const port = await takenPort();
    writeFileSync(nexus.configPath, stringify({ server: { grpc_port: port, http_port: 0 } }));
    const reload = await nexus.cli(['config', 'reload']);
    expect(reload.code).toBe(1);
    expect(reload.stderr).toContain(`nexus serve cannot run without gateway: could not start: cannot listen on 127.0.0.1:${port}: the address is already in use`);
    expect(reload.stderr).toContain('the previous config was restored, and the plugins it runs are running again');

    expect(await standardCheck(connectClients(server.target).standardHealth)).toBe('SERVING');
    expect(await readyz(server.httpUrl)).toMatchObject({ status: 200, body: { status: 'ready' } });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
