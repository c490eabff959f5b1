import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { OnboardState, probeModels } from '../../src/cli/commands/onboard/index.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';

const cli = join(import.meta.dirname, '../../dist/cli/main.js');
const exec = promisify(execFile);
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** An OpenAI-compatible server on 127.0.0.1 (Ollama's shape): GET /v1/models with a Bearer key. */
async function modelsServer(key = 'good-key'): Promise<string> {
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url !== '/v1/models') {
      res.statusCode = 404;
      res.end('{"error":"not found"}');
    } else if (req.headers.authorization !== `Bearer ${key}`) {
      res.statusCode = 401;
      res.end('{"error":{"message":"Incorrect API key provided","type":"invalid_request_error"}}');
    } else {
      res.end(JSON.stringify({ object: 'list', data: [{ id: 'qwen2.5', object: 'model' }, { id: 'llama3.2', object: 'model' }] }));
    }
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

async function onboard(dir: string, args: readonly string[]) {
  const home = join(dir, '.home');
  try {
    const { stdout, stderr } = await exec(process.execPath, [cli, '--config', join(dir, 'nexus.yaml'), 'onboard', '--non-interactive', ...args], { cwd: dir, env: { PATH: process.env.PATH, NEXUS_HOME: home } });
    return { code: 0, stdout, stderr, home };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, home };
  }
}

/** Every file under `dir`, with its content, to prove a refusal changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files[join(entry.parentPath, entry.name)] = readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

const EXISTING = '# my server settings\nserver:\n  http_port: 0 # any free port\n  grpc_port: 0\n';

describe('nexus onboard --non-interactive', () => {
  it('probes the server, picks a listed model, writes the config with a .bak and comments kept, seeds the workspace and makes an API key', async () => {
    const url = await modelsServer();
    const dir = tempDir('nexus-onboard-');
    writeFile(join(dir, 'nexus.yaml'), EXISTING);
    const result = await onboard(dir, ['--provider', url, '--api-key', 'good-key', '--workspace', join(dir, 'ws')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const written = readFileSync(join(dir, 'nexus.yaml'), 'utf8');
    expect(written).toContain('# my server settings');
    expect(written).toContain('http_port: 0 # any free port');
    expect(written).toContain(`llm:\n  default_provider: local\n  providers:\n    local:\n      type: openai\n      api_key: good-key\n      base_url: ${url}\n      default_model: qwen2.5\n`);
    expect(written).toContain(`workspace:\n  path: ${join(dir, 'ws')}\n`);
    expect(readFileSync(join(dir, 'nexus.yaml.bak'), 'utf8')).toBe(EXISTING);
    expect(statSync(join(dir, 'nexus.yaml')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'ws', 'AGENTS.md'))).toBe(true);
    expect(result.stdout).toMatch(/Created the gateway API key "onboard" \(role admin\); it is shown once, keep it:\n\S+\n/);
    expect(existsSync(join(result.home, 'onboard-state.json'))).toBe(false);

    // The written file is valid against the composed schema.
    const validate = await exec(process.execPath, [cli, '--config', join(dir, 'nexus.yaml'), 'config', 'validate'], { cwd: dir, env: { PATH: process.env.PATH, NEXUS_HOME: result.home } });
    expect(validate.stdout).toContain('valid.');
  });

  it('takes --model when the provider lists it', async () => {
    const url = await modelsServer();
    const dir = tempDir('nexus-onboard-');
    const result = await onboard(dir, ['--provider', url, '--api-key', 'good-key', '--model', 'llama3.2', '--no-gateway-key', '--workspace', join(dir, 'ws')]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'nexus.yaml'), 'utf8')).toContain('default_model: llama3.2');
    expect(result.stdout).not.toContain('API key');
  });

  it('a bad key: what, where, how to fix, and nothing changed on disk', async () => {
    const url = await modelsServer();
    const dir = tempDir('nexus-onboard-');
    writeFile(join(dir, 'nexus.yaml'), EXISTING);
    const before = snapshot(dir);
    const result = await onboard(dir, ['--provider', url, '--api-key', 'wrong-key']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`nexus: the provider check failed: ${url}/models refused the key (HTTP 401: Incorrect API key provided). Fix: check the key (--api-key, or the provider variable) and run again. Nothing was written.\n`);
    expect(result.stderr).not.toContain('wrong-key');
    expect(snapshot(dir)).toEqual(before);
  });

  it('an unreachable provider: what, where, how to fix, and nothing changed on disk', async () => {
    const url = await modelsServer();
    await new Promise((r) => servers.pop()!.close(r));
    const dir = tempDir('nexus-onboard-');
    writeFile(join(dir, 'nexus.yaml'), EXISTING);
    const before = snapshot(dir);
    const result = await onboard(dir, ['--provider', url]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the provider check failed: ${url}/models cannot be reached: ECONNREFUSED. Fix: check the URL and that the server is running`);
    expect(snapshot(dir)).toEqual(before);
  });

  it('a model the provider does not list is refused before anything is written', async () => {
    const url = await modelsServer();
    const dir = tempDir('nexus-onboard-');
    const result = await onboard(dir, ['--provider', url, '--api-key', 'good-key', '--model', 'gpt-9']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--model gpt-9 is not among the 2 models');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an existing config that would not validate is reported and left as it is', async () => {
    const url = await modelsServer();
    const dir = tempDir('nexus-onboard-');
    writeFile(join(dir, 'nexus.yaml'), 'server:\n  http_port: not-a-port\n');
    const before = snapshot(dir);
    const result = await onboard(dir, ['--provider', url, '--api-key', 'good-key']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('/server/http_port');
    expect(result.stderr).toContain('does not validate (above); nothing was written');
    expect(snapshot(dir)).toEqual(before);
  });

  it('needs a provider, and a key for a hosted one', async () => {
    const dir = tempDir('nexus-onboard-');
    expect((await onboard(dir, [])).stderr).toContain('needs --provider anthropic, --provider openai or --provider <URL');
    expect((await onboard(dir, ['--provider', 'anthropic'])).stderr).toContain('--provider anthropic needs a key: pass --api-key, or set ANTHROPIC_API_KEY');
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the wizard state file', () => {
  it('is owner-only, round-trips the answers, and is gone once cleared', () => {
    const home = tempDir('nexus-home-');
    const state = new OnboardState(home);
    state.save({ provider: 'anthropic', apiKey: 'sk-ant-x', model: 'claude-sonnet-4-5' });
    expect(statSync(state.path).mode & 0o777).toBe(0o600);
    expect(state.load()).toEqual({ provider: 'anthropic', apiKey: 'sk-ant-x', model: 'claude-sonnet-4-5' });
    state.clear();
    expect(state.load()).toBeUndefined();
  });
});

describe('the provider probe', () => {
  it("speaks the Anthropic API's wire format: GET /v1/models with x-api-key and anthropic-version", async () => {
    const seen: Record<string, string | undefined>[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url, key: req.headers['x-api-key'] as string | undefined, version: req.headers['anthropic-version'] as string | undefined });
      res.setHeader('content-type', 'application/json');
      if (req.headers['x-api-key'] !== 'sk-ant-good') {
        res.statusCode = 401;
        res.end('{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}');
        return;
      }
      res.end('{"data":[{"type":"model","id":"claude-sonnet-4-5-20250929"},{"type":"model","id":"claude-haiku-4-5-20251001"}],"has_more":false}');
    });
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    expect(await probeModels({ kind: 'anthropic', baseUrl, apiKey: 'sk-ant-good' })).toEqual({ ok: true, models: ['claude-sonnet-4-5-20250929', 'claude-haiku-4-5-20251001'], url: `${baseUrl}/v1/models?limit=1000` });
    expect(seen[0]).toEqual({ url: '/v1/models?limit=1000', key: 'sk-ant-good', version: '2023-06-01' });
    const refused = await probeModels({ kind: 'anthropic', baseUrl, apiKey: 'sk-ant-bad' });
    expect(refused).toMatchObject({ ok: false, reason: 'auth', message: `${baseUrl}/v1/models?limit=1000 refused the key (HTTP 401: invalid x-api-key)` });
  });

  it('says when a URL answers but is not a model list', async () => {
    const server = createServer((_req, res) => res.end('<html>hello</html>'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const result = await probeModels({ kind: 'compatible', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    expect(result).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringContaining('did not answer with a model list') });
  });
});
