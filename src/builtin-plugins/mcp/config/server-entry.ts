import { isAbsolute, resolve } from 'node:path';
import { displayUrl, type ConfigProblems } from './config-problems.js';
import { FieldReader } from './field-reader.js';
import type { McpServerSettings, ToolFilterSettings } from './settings.js';
import { invalidGlob } from './tool-filter.js';

const STDIO_KEYS = ['command', 'args', 'env', 'cwd'] as const;
const HTTP_KEYS = ['url', 'transport', 'headers'] as const;
const COMMON_KEYS = ['enabled', 'connect_timeout', 'request_timeout', 'start', 'tools'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface EntryContext {
  readonly problems: ConfigProblems;
  /** Where a relative `cwd` resolves: the configuration file's folder. */
  readonly baseDir: string;
}

/** One `mcp.servers.<id>` entry; `undefined` when it has an error (reported in `problems`). */
export function readServerEntry(id: string, raw: unknown, pointer: string, context: EntryContext): McpServerSettings | undefined {
  const { problems } = context;
  const errorsBefore = problems.list.filter((p) => p.level === 'error').length;
  const fields = FieldReader.of(raw, pointer, problems);
  if (!fields) return undefined;
  fields.unknownKeys([...STDIO_KEYS, ...HTTP_KEYS, ...COMMON_KEYS]);

  const common = {
    id,
    enabled: fields.boolean('enabled', true),
    connectTimeoutMs: fields.duration('connect_timeout', '60s'),
    requestTimeoutMs: fields.duration('request_timeout', '60s'),
    start: fields.oneOf('start', ['eager', 'lazy'] as const, 'eager'),
    tools: readToolFilter(fields.value.tools, fields.at('tools'), problems),
  };

  const isStdio = fields.has('command');
  const isHttp = fields.has('url');
  if (isStdio && isHttp) {
    problems.error(pointer, `server "${id}" sets both command (a local server over stdio) and url (a remote server over HTTP)`, 'keep command to run the program, or url to connect to the remote server, not both');
    return undefined;
  }
  if (!isStdio && !isHttp) {
    problems.error(pointer, `server "${id}" has neither command nor url`, 'give command (and args) to run a local server over stdio, or url to connect to a remote one');
    return undefined;
  }
  // Keys of the other kind would be silently ignored; say so instead.
  for (const key of isStdio ? HTTP_KEYS : STDIO_KEYS) {
    if (fields.has(key)) {
      problems.error(fields.at(key), `"${key}" applies only to ${isStdio ? 'HTTP servers (url)' : 'stdio servers (command)'}, and server "${id}" is a ${isStdio ? 'stdio' : 'HTTP'} server`, `remove "${key}"`);
    }
  }

  let settings: McpServerSettings | undefined;
  if (isStdio) {
    const command = fields.string('command');
    const cwd = fields.string('cwd');
    const args = fields.stringArray('args') ?? [];
    const env = fields.secretMap('env', ENV_NAME, 'an environment variable name: letters, digits and _, not starting with a digit');
    if (command !== undefined) {
      settings = { ...common, transport: 'stdio', command, args, env, cwd: cwd === undefined ? undefined : isAbsolute(cwd) ? cwd : resolve(context.baseDir, cwd) };
    }
  } else {
    const url = fields.string('url');
    const transport = fields.oneOf('transport', ['streamable-http', 'sse'] as const, 'streamable-http');
    const headers = fields.secretMap('headers', HEADER_NAME, 'an HTTP header name');
    if (url !== undefined && checkUrl(url, fields.at('url'), problems)) {
      settings = { ...common, transport, url, headers };
    }
  }
  const errorsAfter = problems.list.filter((p) => p.level === 'error').length;
  return errorsAfter > errorsBefore ? undefined : settings;
}

function checkUrl(url: string, pointer: string, problems: ConfigProblems): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    problems.error(pointer, `${JSON.stringify(displayUrl(url))} is not a valid URL`, 'write the full address of the MCP endpoint, e.g. https://example.com/mcp');
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    problems.error(pointer, `${JSON.stringify(displayUrl(url))} uses ${parsed.protocol.slice(0, -1)}; an MCP server URL must be http:// or https://`, 'for a local program, use command instead of url');
    return false;
  }
  const loopback = parsed.hostname === 'localhost' || parsed.hostname === '[::1]' || parsed.hostname.startsWith('127.');
  if (parsed.protocol === 'http:' && !loopback) {
    problems.warning(pointer, `${JSON.stringify(displayUrl(url))} is plain http:// to another machine: headers (such as an Authorization token) travel unencrypted`, 'use https:// unless the network is trusted');
  }
  return true;
}

export function readToolFilter(raw: unknown, pointer: string, problems: ConfigProblems): ToolFilterSettings {
  const fields = FieldReader.of(raw, pointer, problems);
  if (!fields) return { exclude: [] };
  fields.unknownKeys(['include', 'exclude']);
  const include = fields.stringArray('include');
  const exclude = fields.stringArray('exclude') ?? [];
  for (const [key, list] of [['include', include ?? []], ['exclude', exclude]] as const) {
    list.forEach((pattern, index) => {
      const problem = invalidGlob(pattern);
      if (problem) problems.error(`${fields.at(key)}/${index}`, `${JSON.stringify(pattern)} is not a usable tool name or glob: ${problem}`, 'use exact tool names, or * and ? as wildcards');
    });
  }
  return { include, exclude };
}
