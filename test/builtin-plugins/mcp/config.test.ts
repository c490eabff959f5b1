import { createRequire } from 'node:module';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { MCP_SECTION_SCHEMA, compileToolFilter, readMcpSettings, settingsFingerprint } from '../../../src/builtin-plugins/mcp/config/index.js';

const require = createRequire(import.meta.url);

function errors(section: unknown) {
  return readMcpSettings(section, { file: '/etc/nexus/nexus.yaml' }).problems.filter((p) => p.level === 'error');
}

describe('the mcp configuration section', () => {
  it('is a draft 2020-12 schema that compiles strictly and fills in the defaults', () => {
    const Ajv = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020 }).default;
    const addFormats = (require('ajv-formats') as { default: (ajv: Ajv2020) => void }).default;
    const ajv = new Ajv({ strict: true, useDefaults: true, strictTypes: false });
    addFormats(ajv);
    // Embedded the way the kernel composes nexus.yaml's schema: as a property, with its own $id.
    const validate = ajv.compile({ type: 'object', properties: { mcp: { ...MCP_SECTION_SCHEMA, $id: 'https://nexus.dev/schemas/plugins/mcp/mcp.json' } } });
    const file: { mcp: Record<string, unknown> } = { mcp: { servers: { files: { command: 'npx', args: ['-y', 'server'] } } } };
    expect(validate(file)).toBe(true);
    expect(file.mcp).toEqual({
      servers: { files: { command: 'npx', args: ['-y', 'server'], enabled: true, connect_timeout: '60s', request_timeout: '60s', start: 'eager', tools: { exclude: [] } } },
      server: { enabled: false, tools: { exclude: [] }, send_message: true, max_sessions: 64, session_idle_timeout: '30m', allowed_origins: [], allowed_hosts: [] },
    });
    // What the host hands the plugin (defaults filled in) reads without a problem: no default
    // puts a key of the other server kind (`headers` on a stdio server) into an entry.
    const http: { mcp: Record<string, unknown> } = { mcp: { servers: { remote: { url: 'https://example.com/mcp' } } } };
    expect(validate(http)).toBe(true);
    expect(readMcpSettings(file.mcp).problems).toEqual([]);
    expect(readMcpSettings(http.mcp).problems).toEqual([]);
    expect(validate({ mcp: { servers: { bad: { url: 'ftp://x' } } } })).toBe(false);
    expect(validate({})).toBe(true);
  });

  it('marks env and header values as secrets (writeOnly)', () => {
    const server = MCP_SECTION_SCHEMA.$defs.server.properties;
    expect(server.env.additionalProperties.writeOnly).toBe(true);
    expect(server.headers.additionalProperties.writeOnly).toBe(true);
  });

  it('reads stdio and HTTP servers with their defaults, durations in milliseconds', () => {
    const read = readMcpSettings(
      {
        servers: {
          files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'], env: { TOKEN: 'x' }, cwd: 'tools', start: 'lazy', tools: { exclude: ['write_*'] } },
          remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer t' }, request_timeout: '90s', connect_timeout: '500ms' },
          legacy: { url: 'http://127.0.0.1:9000/sse', transport: 'sse', enabled: false },
        },
        server: { enabled: true, send_message: false, session_idle_timeout: '2m', allowed_origins: ['https://app.example.com'], allowed_hosts: ['nexus.internal'] },
      },
      { baseDir: '/etc/nexus' },
    );
    expect(read.problems).toEqual([]);
    expect(read.servers).toEqual([
      { id: 'files', transport: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/srv'], env: { TOKEN: 'x' }, cwd: '/etc/nexus/tools', enabled: true, connectTimeoutMs: 60_000, requestTimeoutMs: 60_000, start: 'lazy', tools: { include: undefined, exclude: ['write_*'] } },
      { id: 'remote', transport: 'streamable-http', url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer t' }, enabled: true, connectTimeoutMs: 500, requestTimeoutMs: 90_000, start: 'eager', tools: { include: undefined, exclude: [] } },
      { id: 'legacy', transport: 'sse', url: 'http://127.0.0.1:9000/sse', headers: {}, enabled: false, connectTimeoutMs: 60_000, requestTimeoutMs: 60_000, start: 'eager', tools: { include: undefined, exclude: [] } },
    ]);
    expect(read.server).toEqual({ enabled: true, tools: { include: undefined, exclude: [] }, sendMessage: false, maxSessions: 64, sessionIdleTimeoutMs: 120_000, allowedOrigins: ['https://app.example.com'], allowedHosts: ['nexus.internal'] });
  });

  it('refuses a server with both command and url, pointing at the entry', () => {
    expect(errors({ servers: { both: { command: 'srv', url: 'https://x.example/mcp' } } })).toEqual([
      expect.objectContaining({
        code: 'mcp.config.invalid',
        pluginId: 'mcp',
        message: 'server "both" sets both command (a local server over stdio) and url (a remote server over HTTP)',
        hint: expect.stringContaining('not both'),
        source: { file: '/etc/nexus/nexus.yaml', pointer: '/mcp/servers/both' },
      }),
    ]);
  });

  it('refuses a server with neither command nor url', () => {
    expect(errors({ servers: { empty: { args: ['x'] } } })[0]).toMatchObject({ message: 'server "empty" has neither command nor url', source: { pointer: '/mcp/servers/empty' } });
  });

  it('refuses a bad URL without echoing credentials in it', () => {
    expect(errors({ servers: { a: { url: 'not a url' } } })[0]).toMatchObject({ message: '"not a url" is not a valid URL', source: { pointer: '/mcp/servers/a/url' } });
    const ftp = errors({ servers: { b: { url: 'ftp://user:hunter2@files.example/mcp' } } })[0]!;
    expect(ftp).toMatchObject({ source: { pointer: '/mcp/servers/b/url' }, message: expect.stringContaining('must be http:// or https://') });
    expect(ftp.message).not.toContain('hunter2');
  });

  it('warns about plain http to another machine, and accepts it on loopback', () => {
    const remote = readMcpSettings({ servers: { a: { url: 'http://mcp.example.com/mcp' } } });
    expect(remote.servers).toHaveLength(1);
    expect(remote.problems).toEqual([expect.objectContaining({ level: 'warning', source: { pointer: '/mcp/servers/a/url', file: undefined } })]);
    expect(readMcpSettings({ servers: { a: { url: 'http://127.0.0.1:3000/mcp' } } }).problems).toEqual([]);
  });

  it('refuses keys of the other kind of server, and unknown keys, each at its own pointer', () => {
    expect(errors({ servers: { s: { command: 'srv', headers: { A: 'b' }, transport: 'sse' } } }).map((e) => e.source?.pointer)).toEqual(['/mcp/servers/s/transport', '/mcp/servers/s/headers']);
    expect(errors({ servers: { h: { url: 'https://x.example/mcp', env: {} } } })[0]).toMatchObject({ source: { pointer: '/mcp/servers/h/env' }, message: expect.stringContaining('applies only to stdio servers') });
    expect(errors({ servers: { s: { command: 'srv', timeout: '5s' } } })[0]).toMatchObject({ source: { pointer: '/mcp/servers/s/timeout' }, message: 'unknown key "timeout"' });
  });

  it('refuses bad types and durations, and never shows a secret value back', () => {
    const found = errors({ servers: { s: { command: 'srv', connect_timeout: '5 minutes', start: 'soon', args: 'x', env: { API_KEY: 12345, 'bad name': 'v' } } } });
    expect(found.map((e) => [e.source?.pointer, e.message])).toEqual([
      ['/mcp/servers/s/connect_timeout', 'expected a positive duration such as 30s, 5m, 1h, found the string "5 minutes"'],
      ['/mcp/servers/s/start', 'must be one of "eager", "lazy", found the string "soon"'],
      ['/mcp/servers/s/args', 'expected a list of strings, found the string "x"'],
      ['/mcp/servers/s/env/API_KEY', 'expected a string, found number (value withheld: it is a secret)'],
      ['/mcp/servers/s/env/bad name', 'the name "bad name" is not allowed here (an environment variable name: letters, digits and _, not starting with a digit)'],
    ]);
    expect(JSON.stringify(found)).not.toContain('12345');
  });

  it('keeps the valid servers when one entry is bad', () => {
    const read = readMcpSettings({ servers: { good: { command: 'srv' }, bad: { url: 'nope' }, 'bad id!': { command: 'x' } } });
    expect(read.servers.map((s) => s.id)).toEqual(['good']);
    expect(read.problems.map((p) => p.source?.pointer)).toEqual(['/mcp/servers/bad/url', '/mcp/servers/bad id!']);
  });

  it('fingerprints equal settings equally, however they were written, and changed ones differently', () => {
    const a = readMcpSettings({ servers: { s: { command: 'srv', args: ['1'], env: { A: '1', B: '2' } } } }).servers[0]!;
    const b = readMcpSettings({ servers: { s: { env: { B: '2', A: '1' }, args: ['1'], command: 'srv', start: 'eager', connect_timeout: '1m' } } }).servers[0]!;
    const c = readMcpSettings({ servers: { s: { command: 'srv', args: ['1'], env: { A: '1', B: '3' } } } }).servers[0]!;
    expect(settingsFingerprint(a)).toBe(settingsFingerprint(b));
    expect(settingsFingerprint(a)).not.toBe(settingsFingerprint(c));
    expect(settingsFingerprint(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('filters tools by exact names and globs, exclude winning', () => {
    const allows = compileToolFilter({ include: ['read_*', 'list?', 'stat'], exclude: ['read_secret*'] });
    expect(['read_file', 'lists', 'stat', 'read_secrets', 'write_file', 'list', 'read.file'].filter(allows)).toEqual(['read_file', 'lists', 'stat']);
    expect(compileToolFilter({ exclude: [] })('anything')).toBe(true);
  });
});
