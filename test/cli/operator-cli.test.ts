import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../helpers/fixtures.js';

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const run = promisify(execFile);
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

async function nexus(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH, NEXUS_HOME: join(cwd, '.home'), ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `nexus serve` in the background on free ports, in `dir` (whose nexus.yaml the caller wrote). */
async function serve(dir: string) {
  const child = spawn(process.execPath, [cli, 'serve'], { cwd: dir, env: { PATH: process.env.PATH, NEXUS_HOME: join(dir, '.home') } });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  for (let i = 0; i < 1200 && !/Nexus is running/.test(out) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 50));
  expect(out).toMatch(/Nexus is running \(pid \d+\)/);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Each test starts several `nexus` processes; on a loaded machine that takes a while. */
const E2E = { timeout: 180_000 };

const CONFIG = 'logging:\n  level: warn\nserver:\n  grpc_port: 0\n  http_port: 0\n';

describe('nexus status, nexus stop and plugins list --live', () => {
  it('say clearly that no gateway is running, with exit code 3, and change nothing', E2E, async () => {
    const dir = tempDir('nexus-op-');
    writeFile(join(dir, 'nexus.yaml'), CONFIG);
    const status = await nexus(['status'], dir);
    expect(status.code).toBe(3);
    expect(status.stderr).toContain(`no running Nexus found (no live pid in ${join(dir, '.home', 'nexus.pid')}); start it with \`nexus serve\``);
    const stop = await nexus(['stop'], dir);
    expect(stop.code).toBe(3);
    expect(stop.stderr).toContain('nothing to stop');
    expect((await nexus(['plugins', 'list', '--live'], dir)).code).toBe(3);
    const channels = await nexus(['channels', 'status'], dir);
    expect(channels.code).toBe(3);
    expect(channels.stderr).toContain('No gateway is running: no running Nexus found');
    expect(existsSync(join(dir, '.home', 'nexus.pid'))).toBe(false);
  });

  it('asks the running gateway for its state, then stops it through the pid file and waits for the exit', E2E, async () => {
    const dir = tempDir('nexus-op-');
    writeFile(join(dir, 'nexus.yaml'), CONFIG);
    const gateway = await serve(dir);
    const pid = gateway.child.pid!;

    const status = await nexus(['status'], dir);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^Nexus \\d+\\.\\d+\\.\\d+ \\(pid ${pid}\\) is serving; up \\d+s\\.\\n`));
    expect(status.stdout).toMatch(/\n {2}grpc {2}127\.0\.0\.1:\d+\n {2}http {2}http:\/\/127\.0\.0\.1:\d+\n/);
    expect(status.stdout).toContain('Turns in flight: 0\n');
    expect(status.stdout).toMatch(/\nPlugins: \d+ active, \d+ not loaded \(they load on first use\), \d+ disabled\n/);

    const json = JSON.parse((await nexus(['status', '--json'], dir)).stdout) as { pid: number; serving: string; plugins: { id: string; state: string }[]; listeners: { name: string }[]; turnsInFlight: number; lastErrors: unknown[] };
    expect(json).toMatchObject({ pid, serving: 'SERVING', turnsInFlight: 0, lastErrors: [] });
    expect(json.plugins.find((p) => p.id === 'gateway')?.state).toBe('active');
    expect(json.listeners.map((l) => l.name)).toEqual(['grpc', 'http']);

    const live = await nexus(['plugins', 'list', '--live'], dir);
    expect(live.code, live.stderr).toBe(0);
    expect(live.stdout).toContain(`Live plugin states of pid ${pid}:`);
    expect(live.stdout).toMatch(/\ngateway +\S+ +builtin +yes +active/);

    const channels = await nexus(['channels', 'status'], dir);
    expect(channels).toMatchObject({ code: 0, stdout: `The gateway (pid ${pid}) runs no channel that reports its health.\n` });

    const stop = await nexus(['stop'], dir);
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stdout).toBe(`Sent SIGTERM to Nexus (pid ${pid}); waiting for it to drain and exit…\nStopped.\n`);
    // `stop` returned only once the process was gone: its exit is already there to collect.
    expect(await gateway.exited).toBe(0);
    expect(existsSync(join(dir, '.home', 'nexus.pid'))).toBe(false);
  });

  it('refuses callers without a credential, and callers that are not admins, once credentials exist', E2E, async () => {
    const dir = tempDir('nexus-op-');
    writeFile(join(dir, 'nexus.yaml'), CONFIG);
    const admin = await nexus(['auth', 'api-key', 'create', '--name', 'ops', '--json'], dir);
    expect(admin.code, admin.stderr).toBe(0);
    const user = await nexus(['auth', 'api-key', 'create', '--name', 'bob', '--json'], dir);
    const adminKey = (JSON.parse(admin.stdout) as { key: string; role: string }).key;
    expect((JSON.parse(admin.stdout) as { role: string }).role).toBe('admin');
    const userKey = (JSON.parse(user.stdout) as { key: string }).key;
    const gateway = await serve(dir);

    const anonymous = await nexus(['status'], dir);
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('wants a credential: pass --api-key with an admin API key (or set NEXUS_API_KEY)');
    const notAdmin = await nexus(['status', '--api-key', userKey], dir);
    expect(notAdmin.code).toBe(1);
    expect(notAdmin.stderr).toContain("refused: only admins see the gateway's status");
    expect(notAdmin.stderr).toContain('nexus auth api-key create --admin');
    const fromEnv = await nexus(['status', '--json'], dir, { NEXUS_API_KEY: adminKey });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({ pid: gateway.child.pid });
    // Neither key is ever printed back.
    expect(`${notAdmin.stdout}${notAdmin.stderr}${fromEnv.stdout}`).not.toContain(userKey);
    expect(fromEnv.stdout).not.toContain(adminKey);

    expect((await nexus(['stop'], dir)).code).toBe(0);
    expect(await gateway.exited).toBe(0);
  });
});
