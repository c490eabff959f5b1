import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConfigFileError, ConfigSourceConflict, parseConfigText, resolveConfigSource } from '../../src/kernel/config/index.js';
import { initProfile, useProfile } from '../../src/kernel/config/profiles.js';
import { tempDir, writeFile } from '../helpers/fixtures.js';

describe('where the config comes from (first match wins)', () => {
  function setup() {
    const home = tempDir('nexus-home-');
    const cwd = tempDir('nexus-cwd-');
    initProfile(home, 'work', undefined);
    initProfile(home, 'home', undefined);
    return { home, cwd };
  }

  it('walks --config, --profile, NEXUS_CONFIG, NEXUS_PROFILE, the active profile, ./nexus.yaml, $NEXUS_HOME/nexus.yaml, defaults', () => {
    const { home, cwd } = setup();
    const env = { NEXUS_CONFIG: 'env.yaml', NEXUS_PROFILE: 'home' };
    const at = (input: Partial<Parameters<typeof resolveConfigSource>[0]>) => resolveConfigSource({ env: {}, cwd, home, ...input });

    expect(at({ configFlag: 'x.yaml', env })).toEqual({ path: join(cwd, 'x.yaml'), origin: 'flag' });
    expect(at({ profileFlag: 'work', env })).toEqual({ path: join(home, 'profiles', 'work.yaml'), origin: 'profile-flag', profile: 'work' });
    expect(at({ env })).toEqual({ path: join(cwd, 'env.yaml'), origin: 'env' });
    expect(at({ env: { NEXUS_PROFILE: 'home' } })).toMatchObject({ origin: 'env-profile', profile: 'home' });

    useProfile(home, 'work');
    expect(at({})).toMatchObject({ origin: 'active-profile', profile: 'work' });
    useProfile(home, undefined);

    expect(at({})).toEqual({ path: undefined, origin: 'defaults' });
    writeFile(join(home, 'nexus.yaml'), 'version: 1\n');
    expect(at({})).toEqual({ path: join(home, 'nexus.yaml'), origin: 'home' });
    writeFile(join(cwd, 'nexus.yaml'), 'version: 1\n');
    expect(at({})).toEqual({ path: join(cwd, 'nexus.yaml'), origin: 'workspace' });
  });

  it('refuses --config together with --profile', () => {
    const { home, cwd } = setup();
    expect(() => resolveConfigSource({ configFlag: 'a.yaml', profileFlag: 'work', env: {}, cwd, home })).toThrow(ConfigSourceConflict);
  });

  it('rejects a profile name that could escape the profiles folder', () => {
    const { home, cwd } = setup();
    expect(() => resolveConfigSource({ profileFlag: '../etc/passwd', env: {}, cwd, home })).toThrow(/invalid profile name/);
  });
});

describe('environment interpolation', () => {
  const load = (text: string, env: NodeJS.ProcessEnv) => parseConfigText(text, '/cfg/nexus.yaml', { env });

  it('substitutes ${VAR} and ${VAR:-default}, keeps $${ literal, and types a lone plain reference', () => {
    const config = load(
      ['server:', '  host: ${HOST}', '  grpc_port: ${PORT}', '  http_port: ${HTTP:-8081}', 'llm:', '  default_provider: "${P}"', '  note: "cost $${AMOUNT} at ${HOST}"', ''].join('\n'),
      { HOST: '10.0.0.5', PORT: '7000', P: '42' },
    );
    expect(config.diagnostics).toEqual([]);
    expect(config.data).toEqual({
      server: { host: '10.0.0.5', grpc_port: 7000, http_port: 8081 },
      llm: { default_provider: '42', note: 'cost ${AMOUNT} at 10.0.0.5' },
    });
  });

  it('names a missing variable and where it is used, and still reads the rest', () => {
    const config = load('auth:\n  jwt_secret: ${JWT}\nserver:\n  host: ok\n', {});
    expect(config.diagnostics).toEqual([
      expect.objectContaining({
        code: 'config.env-missing',
        message: 'environment variable JWT is not set, and /auth/jwt_secret uses it with no default',
        source: { file: '/cfg/nexus.yaml', line: 2, column: 15, pointer: '/auth/jwt_secret' },
      }),
    ]);
    expect(config.data.server).toEqual({ host: 'ok' });
  });

  it('applies NEXUS_* overrides over the file and records where each came from', () => {
    const config = load('server:\n  host: 0.0.0.0\n  grpc_port: 1\n', { NEXUS_GRPC_PORT: '6000', DATABASE_URL: 'postgres://db/x', NEXUS_JWT_SECRET: 'a', JWT_SECRET: 'b' });
    expect(config.data).toEqual({ server: { host: '0.0.0.0', grpc_port: 6000 }, database: { url: 'postgres://db/x' }, auth: { jwt_secret: 'a' } });
    expect(config.originOf('/server/grpc_port')).toBe('env NEXUS_GRPC_PORT');
    expect(config.originOf('/auth/jwt_secret')).toBe('env NEXUS_JWT_SECRET');
    expect(config.originOf('/server/host')).toBe('file');
    expect(config.originOf('/server/http_port')).toBeUndefined();
  });

  it('NEXUS_LLM_PROVIDER, NEXUS_LLM_BASE_URL and NEXUS_LLM_MODEL address the chosen provider entry', () => {
    const config = load('llm:\n  providers:\n    local:\n      type: openai\n      api_key: k\n', {
      NEXUS_LLM_PROVIDER: 'local',
      NEXUS_LLM_BASE_URL: 'http://127.0.0.1:11434/v1',
      NEXUS_LLM_MODEL: 'llama3.2',
    });
    expect(config.data.llm).toEqual({
      default_provider: 'local',
      providers: { local: { type: 'openai', api_key: 'k', base_url: 'http://127.0.0.1:11434/v1', default_model: 'llama3.2' } },
    });
    expect(config.originOf('/llm/default_provider')).toBe('env NEXUS_LLM_PROVIDER');
    expect(config.originOf('/llm/providers/local/base_url')).toBe('env NEXUS_LLM_BASE_URL');
    expect(config.originOf('/llm/providers/local/default_model')).toBe('env NEXUS_LLM_MODEL');
  });

  it('without NEXUS_LLM_PROVIDER the model variables go to llm.default_provider, else to an openai entry', () => {
    expect(load('llm:\n  default_provider: anthropic\n', { NEXUS_LLM_MODEL: 'claude-x' }).data.llm).toEqual({
      default_provider: 'anthropic',
      providers: { anthropic: { default_model: 'claude-x' } },
    });
    expect(load('', { NEXUS_LLM_BASE_URL: 'http://127.0.0.1:11434/v1' }).data.llm).toEqual({ providers: { openai: { base_url: 'http://127.0.0.1:11434/v1' } } });
  });

  it('reports a malformed override instead of ignoring it', () => {
    const config = load('server: {}\n', { NEXUS_HTTP_PORT: 'eighty' });
    expect(config.diagnostics[0]).toMatchObject({ code: 'config.env-invalid', message: 'NEXUS_HTTP_PORT="eighty" is not a port number' });
  });
});

describe('bad YAML is reported with its position', () => {
  const errorsOf = (text: string) => {
    try {
      parseConfigText(text, '/cfg/nexus.yaml');
    } catch (error) {
      return (error as ConfigFileError).diagnostics;
    }
    throw new Error('expected a ConfigFileError');
  };

  it('tabs used for indentation', () => {
    const [error] = errorsOf('server:\n\thost: x\n');
    expect(error).toMatchObject({ code: 'config.yaml-syntax', source: { line: 2, column: 1 } });
  });

  it('a duplicate key', () => {
    const [error] = errorsOf('server:\n  host: a\n  host: b\n');
    expect(error).toMatchObject({ code: 'config.yaml-syntax', source: { line: 3, column: 3 }, hint: 'each key may appear once per mapping: merge the two entries' });
  });

  it('an unclosed quote', () => {
    const [error] = errorsOf('server:\n  host: "abc\nllm: {}\n');
    expect(error).toMatchObject({ code: 'config.yaml-syntax' });
    expect(error!.source?.line).toBeGreaterThanOrEqual(2);
  });

  it('a second document', () => {
    expect(errorsOf('version: 1\n---\nversion: 1\n')[0]).toMatchObject({ code: 'config.multiple-documents', source: { line: 2, column: 1 } });
  });

  it('a file that is not a mapping', () => {
    expect(errorsOf('- a\n- b\n')[0]).toMatchObject({ code: 'config.not-a-mapping' });
  });
});

describe('overrides in validation errors', () => {
  it('blames an invalid overridden value on its variable', async () => {
    const { Kernel, MemoryLogger } = await import('../../src/kernel/index.js');
    const { tmpdir } = await import('node:os');
    const config = parseConfigText('server: {}\n', '/cfg/nexus.yaml', { env: { NEXUS_HOST: '' , NEXUS_TOKEN_EXPIRY: 'forever' } });
    const kernel = new Kernel({ config, home: tempDir(), workspaceDir: tmpdir(), packageDirs: [], discoveryIndex: false, logger: new MemoryLogger() });
    const problem = kernel.list().flatMap((p) => p.diagnostics).find((d) => d.message.startsWith('/auth/token_expiry'));
    expect(problem?.message).toBe('/auth/token_expiry: "forever" is not a duration (set by NEXUS_TOKEN_EXPIRY)');
    expect(problem?.hint).toBe('use e.g. 30s, 5m, 1h: a number and ms, s, m, h or d; parts may be combined (1h30m)');
  });
});
