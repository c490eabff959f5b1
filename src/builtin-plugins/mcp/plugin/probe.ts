import type { Logger } from '@nexus/plugin-sdk';
import { McpToolSource, type McpToolListing } from '../bridge/index.js';
import type { McpServerSettings } from '../config/index.js';
import { ConnectionManager, type ServerStatus } from '../connections/index.js';
import { NEXUS_CLIENT_INFO } from './mcp-engine.js';

export interface ProbedServer {
  readonly status: ServerStatus;
  readonly tools: readonly McpToolListing[];
}

/**
 * Connects to `servers` from this process (not through a running gateway), each once within its
 * connect_timeout, lists what each offers, and stops them all again. For `nexus mcp tools` and
 * `doctor --probe`: a fresh connection, so what it reports is what a new gateway would see.
 */
export async function probeServers(servers: readonly McpServerSettings[], logger: Logger, signal?: AbortSignal): Promise<ProbedServer[]> {
  const manager = new ConnectionManager({ servers: servers.map((server) => ({ ...server, start: 'eager' as const })), logger, clientInfo: NEXUS_CLIENT_INFO });
  try {
    await manager.ensureStarted(signal);
    const tools = new McpToolSource(manager, { logger }).listing();
    return manager.status().map((status) => ({ status, tools: tools.filter((tool) => tool.server === status.id) }));
  } finally {
    await manager.stop();
  }
}

/** One line on a server's state, for people. */
export function describeState(status: ServerStatus): string {
  if (status.state === 'connected') return `connected${status.server ? ` to ${status.server.name} ${status.server.version}` : ''}, ${status.tools} tool(s)`;
  if (status.state === 'disabled') return 'disabled (enabled: false)';
  return `${status.state}${status.lastError ? `: ${status.lastError}` : ''}`;
}
