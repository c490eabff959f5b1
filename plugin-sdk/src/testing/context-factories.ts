import type { CliCommandContext, HttpRequest, PromptContext, ToolContext } from '../contracts/index.js';
import { MemoryLogger } from './memory-logger.js';

/**
 * Contexts as the host builds them, for unit tests that call a tool, route, prompt section or
 * command directly. Each takes overrides; the defaults are what a plain call would get.
 */

/** A `ToolContext` with a fresh signal and an in-memory logger. */
export function createToolContext(overrides: Partial<ToolContext> = {}): ToolContext {
  return { signal: new AbortController().signal, logger: new MemoryLogger(), ...overrides };
}

/**
 * An `HttpRequest` for `path` (with any query), as the http plugin hands it to a route mounted at
 * `prefix`: `subpath` is the part below the prefix. `json` becomes the body, with its content type.
 */
export function createHttpRequest(
  init: { readonly path: string; readonly prefix?: string; readonly method?: string; readonly json?: unknown; readonly body?: string | Uint8Array } & Partial<Pick<HttpRequest, 'headers' | 'principal' | 'remoteAddress' | 'signal'>>,
): HttpRequest {
  const url = new URL(init.path, 'http://127.0.0.1');
  const prefix = init.prefix ?? url.pathname;
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix.replace(/\/$/, '')}/`)) {
    throw new Error(`createHttpRequest: path ${url.pathname} is not under the route prefix ${prefix}`);
  }
  const text = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const headers = { ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers };
  return {
    method: init.method ?? (text === undefined ? 'GET' : 'POST'),
    path: url.pathname,
    subpath: url.pathname.slice(prefix.replace(/\/$/, '').length),
    query: url.searchParams,
    headers,
    body: typeof text === 'string' ? new TextEncoder().encode(text) : (text ?? new Uint8Array()),
    signal: init.signal ?? new AbortController().signal,
    ...(init.principal ? { principal: init.principal } : {}),
    ...(init.remoteAddress ? { remoteAddress: init.remoteAddress } : {}),
  };
}

/** A `PromptContext` for one turn of session `test` on channel `test`. */
export function createPromptContext(overrides: Partial<PromptContext> = {}): PromptContext {
  return { sessionId: 'test', agentId: 'main', channel: 'test', message: '', metadata: {}, heartbeat: false, signal: new AbortController().signal, ...overrides };
}

/**
 * A `CliCommandContext` whose output is kept: read it with `output()`. Give `args` and `options`
 * as the host would hand them over after parsing: typed, keyed by their manifest names, boolean
 * options true or false. To test the parsing itself, run the command through the host
 * (`nexus <command> …`): the declaration in the manifest is what parses.
 */
export function createCommandContext(overrides: Partial<CliCommandContext> = {}): CliCommandContext & { output(): { readonly stdout: string; readonly stderr: string } } {
  let stdout = '';
  let stderr = '';
  return {
    subcommand: '',
    args: {},
    options: {},
    configPath: undefined,
    signal: new AbortController().signal,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    ...overrides,
    output: () => ({ stdout, stderr }),
  };
}
