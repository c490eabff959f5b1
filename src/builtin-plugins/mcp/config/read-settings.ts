import { createHash } from 'node:crypto';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { ConfigProblems, pointerJoin } from './config-problems.js';
import { FieldReader } from './field-reader.js';
import { readServerEntry, readToolFilter } from './server-entry.js';
import type { McpServerSettings, NexusMcpServerSettings } from './settings.js';

const SERVER_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface McpSettings {
  /** Every entry that is valid, enabled or not, in key order. */
  readonly servers: readonly McpServerSettings[];
  readonly server: NexusMcpServerSettings;
  /** Errors (an entry with one is left out of `servers`) and warnings, each with its JSON pointer. */
  readonly problems: readonly Diagnostic[];
}

export interface ReadOptions {
  /** The configuration file, for the problems' `source.file`. */
  readonly file?: string;
  /** Where the section sits in the file; `/mcp` by default. */
  readonly pointer?: string;
  /** Where relative `cwd` values resolve: the configuration file's folder, else the process's. */
  readonly baseDir?: string;
}

/**
 * Reads the `mcp` section. A server entry with an error is left out (and reported) rather than
 * failing the whole section, so one bad entry does not take the other servers down with it.
 */
export function readMcpSettings(section: unknown, options: ReadOptions = {}): McpSettings {
  const problems = new ConfigProblems(options.file);
  const base = options.pointer ?? '/mcp';
  const root = FieldReader.of(section ?? {}, base, problems);
  const servers: McpServerSettings[] = [];
  let server = defaultNexusServer();
  if (root) {
    root.unknownKeys(['servers', 'server']);
    const entries = FieldReader.of(root.value.servers, root.at('servers'), problems);
    for (const [id, raw] of Object.entries(entries?.value ?? {})) {
      const pointer = pointerJoin(root.at('servers'), id);
      if (!SERVER_ID.test(id)) {
        problems.error(pointer, `the server id "${id}" is not allowed`, 'use letters, digits, _ and -, starting with a letter or digit, at most 64 characters');
        continue;
      }
      const settings = readServerEntry(id, raw, pointer, { problems, baseDir: options.baseDir ?? process.cwd() });
      if (settings) servers.push(settings);
    }
    server = readNexusServer(root.value.server, root.at('server'), problems);
  }
  return { servers, server, problems: problems.list };
}

function defaultNexusServer(): NexusMcpServerSettings {
  return { enabled: false, tools: { exclude: [] }, sendMessage: true, maxSessions: 64, sessionIdleTimeoutMs: 30 * 60_000, allowedOrigins: [], allowedHosts: [] };
}

function readNexusServer(raw: unknown, pointer: string, problems: ConfigProblems): NexusMcpServerSettings {
  const fields = FieldReader.of(raw, pointer, problems);
  const defaults = defaultNexusServer();
  if (!fields) return defaults;
  fields.unknownKeys(['enabled', 'tools', 'send_message', 'max_sessions', 'session_idle_timeout', 'allowed_origins', 'allowed_hosts']);
  const origins = fields.stringArray('allowed_origins') ?? [];
  origins.forEach((origin, index) => {
    if (!/^https?:\/\/[^/]+$/.test(origin)) problems.error(pointerJoin(fields.at('allowed_origins'), index), `${JSON.stringify(origin)} is not an origin`, 'write scheme://host or scheme://host:port, with no path, e.g. https://app.example.com');
  });
  return {
    enabled: fields.boolean('enabled', defaults.enabled),
    tools: readToolFilter(fields.value.tools, fields.at('tools'), problems),
    sendMessage: fields.boolean('send_message', defaults.sendMessage),
    maxSessions: fields.integer('max_sessions', defaults.maxSessions, 1, 10_000),
    sessionIdleTimeoutMs: fields.duration('session_idle_timeout', '30m'),
    allowedOrigins: origins,
    allowedHosts: fields.stringArray('allowed_hosts') ?? [],
  };
}

/**
 * A digest of everything that shapes a server's connection, so a reload can tell changed servers
 * from unchanged ones. A digest, not the settings: it holds secrets and may end up in a log.
 */
export function settingsFingerprint(settings: McpServerSettings): string {
  return createHash('sha256').update(stableJson(settings)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
