import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir, writeFile } from '../helpers/fixtures.js';

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const run = promisify(execFile);

/**
 * `nexus serve` in the background, in a fresh folder with `serveConfig('info')` (`prepare` may add
 * to its NEXUS_HOME first), with its combined output, a way to wait for a line, and `stop`.
 */
function startServe(prepare: (home: string) => void = () => undefined) {
  const dir = tempDir('nexus-serve-');
  const home = join(dir, '.home');
  writeFile(join(dir, 'nexus.yaml'), serveConfig('info'));
  prepare(home);
  const child = spawn(process.execPath, [cli, 'serve'], { cwd: dir, env: { PATH: process.env.PATH, NEXUS_HOME: home } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const waitFor = async (pattern: RegExp) => {
    for (let i = 0; i < 200 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(pattern);
  };
  /** SIGTERM, then the exit; at once for a process that has already gone, rather than waiting for an 'exit' that came. */
  const stop = async () => {
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
  };
  return { dir, home, child, output: () => out, waitFor, stop };
}

/** A config for `serve` that listens on free ports, so the tests never meet a gateway already running here. */
function serveConfig(logLevel: string): string {
  return `logging:\n  level: ${logLevel}\nserver:\n  grpc_port: 0\n  http_port: 0\n`;
}

async function nexus(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], { cwd, env: { PATH: process.env.PATH, NEXUS_HOME: join(cwd, '.home'), ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('nexus config', () => {
  it('validate lists every error with its position and exits 1; a good file exits 0', async () => {
    const dir = tempDir('nexus-cfg-');
    writeFile(join(dir, 'nexus.yaml'), 'server:\n  grpc_port: "fast"\n  hots: x\ncronjobs:\n  enabled: true\nllm:\n  providers:\n    openai:\n      api_key: ${OPENAI_KEY}\n');
    const bad = await nexus(['config', 'validate', '--json'], dir);
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { valid: boolean; errors: { code: string; message: string; source: { line: number } }[] };
    expect(report.valid).toBe(false);
    expect(report.errors.map((e) => [e.code, e.source.line]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([
      ['config.invalid', 2],
      ['config.invalid', 3],
      ['config.unknown-section', 4],
      ['config.env-missing', 9],
    ]);
    writeFile(join(dir, 'nexus.yaml'), 'server:\n  grpc_port: 6000\n');
    const good = await nexus(['config', 'validate'], dir);
    expect(good).toMatchObject({ code: 0 });
    expect(good.stdout).toContain('nexus.yaml: valid.');
  });

  it('validate rejects a provider type no installed plugin provides, before any turn needs it', async () => {
    const dir = tempDir('nexus-cfg-');
    writeFile(join(dir, 'nexus.yaml'), 'llm:\n  providers:\n    main:\n      type: openia\n');
    const result = await nexus(['config', 'validate'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/llm/providers/main/type: "openia", but no installed plugin provides a provider type "openia"');
    expect(result.stdout).toMatch(/nexus\.yaml:4:13 \(\/llm\/providers\/main\/type\)/);
    expect(result.stdout).toContain('hint: did you mean "openai"?');
  });

  it('show prints each value with where it came from and never a secret', async () => {
    const dir = tempDir('nexus-cfg-');
    writeFile(join(dir, 'nexus.yaml'), 'server:\n  host: 0.0.0.0\nauth:\n  jwt_secret: ${SECRET}\n');
    const env = { SECRET: 'x'.repeat(40), NEXUS_GRPC_PORT: '7001' };
    const shown = await nexus(['config', 'show', '--effective'], dir, env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/host: 0\.0\.0\.0 # file/);
    expect(shown.stdout).toMatch(/grpc_port: 7001 # env NEXUS_GRPC_PORT/);
    expect(shown.stdout).toMatch(/http_port: 8080 # default/);
    expect(shown.stdout).toMatch(/jwt_secret: "\[redacted\]" # file/);
    expect(shown.stdout).not.toContain('xxxxxxxx');
    const json = JSON.parse((await nexus(['config', 'show', '--json'], dir, env)).stdout) as { origins: Record<string, string> };
    expect(json.origins).toEqual({ '/server/host': 'file', '/server/grpc_port': 'env NEXUS_GRPC_PORT', '/auth/jwt_secret': 'file' });
  });

  it('schema prints the composed schema, with each section marked by its owner', async () => {
    const dir = tempDir('nexus-cfg-');
    const schema = JSON.parse((await nexus(['config', 'schema'], dir)).stdout) as { properties: Record<string, { 'x-owner': string }> };
    expect(schema.properties.server!['x-owner']).toBe('gateway');
    expect(schema.properties.plugins!['x-owner']).toBe('kernel');
    expect(schema.properties.workspace!['x-owner']).toBe('workspace');
  });

  it('says a --config that names a directory is a directory, and which file to pass instead', async () => {
    const dir = tempDir('nexus-cfg-');
    writeFile(join(dir, 'conf', 'nexus.yaml'), 'server:\n  grpc_port: 0\n');
    const result = await nexus(['--config', 'conf', 'config', 'validate'], dir);
    expect(result.code).not.toBe(0);
    const out = result.stdout + result.stderr;
    expect(out).toContain(`the config path is a directory, not a file: ${join(dir, 'conf')}`);
    expect(out).toContain(`pass the file itself: --config ${join(dir, 'conf', 'nexus.yaml')}`);
    expect(out).not.toContain('permissions');
  });

  it('refuses --config together with --profile as a usage error', async () => {
    const dir = tempDir('nexus-cfg-');
    const result = await nexus(['--config', 'a.yaml', '--profile', 'p', 'config', 'validate'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--config and --profile both name a config file');
  });
});

describe('nexus profile', () => {
  it('init, list, use and path, and the active profile is then the config in effect', async () => {
    const dir = tempDir('nexus-prof-');
    expect((await nexus(['profile', 'init', 'work', '--provider', 'ollama'], dir)).code).toBe(0);
    expect((await nexus(['profile', 'init', 'home', '--use'], dir)).stdout).toContain('Active profile: home.');
    expect((await nexus(['profile', 'init', 'home'], dir)).code).toBe(1);
    expect((await nexus(['profile', 'list'], dir)).stdout).toMatch(/\*\s+home[\s\S]*work/);
    expect((await nexus(['profile', 'use', 'work'], dir)).code).toBe(0);
    expect((await nexus(['profile', 'path'], dir)).stdout.trim()).toBe(join(dir, '.home', 'profiles', 'work.yaml'));
    const shown = await nexus(['config', 'show'], dir);
    expect(shown.stdout).toContain('(profile work)');
    expect(shown.stdout).toMatch(/default_provider: ollama # profile work/);
    // --profile and NEXUS_PROFILE beat the active profile; --config beats them all.
    expect((await nexus(['--profile', 'home', 'config', 'show'], dir)).stdout).toContain('(profile home)');
    expect((await nexus(['config', 'show'], dir, { NEXUS_PROFILE: 'home' })).stdout).toContain('(profile home)');
    expect((await nexus(['profile', 'use', 'nope'], dir)).stderr).toContain('nexus profile init nope');
  });
});

describe('nexus serve', () => {
  it('runs until SIGTERM, reloads on `nexus config reload`, and rejects a bad file while the old config keeps running', async () => {
    const { dir, home, child, output, waitFor, stop } = startServe();
    try {
      await waitFor(/Nexus is running \(pid \d+\)/);
      expect(JSON.parse(readFileSync(join(home, 'nexus.pid'), 'utf8')).pid).toBe(child.pid);
      expect((await nexus(['serve'], dir)).stderr).toContain('already running');

      writeFile(join(dir, 'nexus.yaml'), serveConfig('shout'));
      const rejected = await nexus(['config', 'reload'], dir);
      expect(rejected.code).toBe(1);
      expect(rejected.stderr).toContain('/logging/level: must be one of');
      await waitFor(/Config reload rejected; the previous config stays in force/);

      writeFile(join(dir, 'nexus.yaml'), serveConfig('debug'));
      const applied = await nexus(['config', 'reload'], dir);
      expect(applied.code).toBe(0);
      expect(applied.stdout).toMatch(/^Reloaded pid \d+/);
    } finally {
      await stop();
    }
    expect(output()).toContain('Received SIGTERM; stopping.');
    expect(existsSync(join(home, 'nexus.pid'))).toBe(false);
  });
});

describe('nexus doctor', () => {
  it('exits 1 on a config error, shows a pending migration, and --repair applies it keeping comments', async () => {
    const dir = tempDir('nexus-doc-');
    const file = writeFile(join(dir, 'nexus.yaml'), '# my gateway\nplugins:\n  websearch:\n    enabled: true   # searxng\nobservability:\n  tracing: true\n');
    const before = await nexus(['doctor', '--json'], dir);
    expect(before.code).toBe(1);
    const report = JSON.parse(before.stdout) as { ok: boolean; groups: { checks: { id: string; status: string }[] }[] };
    expect(report.ok).toBe(false);
    const statuses = Object.fromEntries(report.groups.flatMap((g) => g.checks.map((c) => [c.id, c.status])));
    expect(statuses.migrations).toBe('warn');

    const repaired = await nexus(['doctor', '--repair'], dir);
    expect(readFileSync(file, 'utf8')).toBe('# my gateway\nversion: 1\ntools:\n  websearch:\n    enabled: true # searxng\n');
    expect(existsSync(`${file}.bak`)).toBe(true);
    expect(repaired.stdout).toContain('migrations');
    const after = await nexus(['config', 'validate'], dir);
    expect(after.stdout).toContain('unknown key "tools.websearch"');
  });
});

describe('nexus serve, when a reload cannot even report', () => {
  it('keeps running and says why', async () => {
    const { child, output, waitFor, stop } = startServe((home) => writeFile(join(home, 'reload-status.json', 'blocker'), ''));
    try {
      await waitFor(/Nexus is running/);
      child.kill('SIGHUP');
      await waitFor(/reload failed: .*the previous config stays in force/);
      expect(child.exitCode).toBeNull();
    } finally {
      await stop();
    }
    expect(output()).toContain('Received SIGTERM; stopping.');
  });
});

describe('nexus serve, signalled while it starts', () => {
  // Node's default action for SIGHUP and SIGTERM is to die on the spot; serve listens from before startup.
  it('survives a SIGHUP sent as the first plugin logs, applies the reload once running, and stops cleanly on SIGTERM', async () => {
    const { child, output, waitFor, stop } = startServe();
    try {
      await waitFor(/"msg":"/);
      child.kill('SIGHUP');
      await waitFor(/Nexus is running/);
      await waitFor(/Config reloaded: restarted \[\]/);
      expect(child.exitCode).toBeNull();
    } finally {
      await stop();
    }
    expect(child.exitCode).toBe(0);
    expect(output()).toContain('Received SIGTERM; stopping.');
  });
});
