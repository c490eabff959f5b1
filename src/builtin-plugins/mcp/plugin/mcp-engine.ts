import type { Logger } from '@nexus/plugin-sdk';
import { McpToolSource } from '../bridge/index.js';
import type { McpSettings } from '../config/index.js';
import { ConnectionManager, type ReloadResult } from '../connections/index.js';
import { adoptParked, park } from './handover.js';

/** What Nexus calls itself in MCP handshakes. */
export const NEXUS_CLIENT_INFO = { name: 'nexus', version: '0.1.0' } as const;

/**
 * The connections to the configured servers and the tool source over them: the part of the
 * plugin that needs the MCP SDK, loaded only once something needs it (an eager server, a turn,
 * a request to /mcp). After a config reload it takes over the previous activation's
 * connections, so only the servers whose settings changed are restarted.
 */
export class McpEngine {
  readonly source: McpToolSource;

  private constructor(
    private readonly settings: McpSettings,
    readonly manager: ConnectionManager,
    private readonly adopted: boolean,
    private readonly logger: Logger,
  ) {
    this.source = new McpToolSource(manager, { logger });
  }

  static create(settings: McpSettings, logger: Logger): McpEngine {
    const parked = adoptParked();
    const manager = parked ?? new ConnectionManager({ servers: settings.servers, logger, clientInfo: NEXUS_CLIENT_INFO });
    return new McpEngine(settings, manager, parked !== undefined, logger);
  }

  /** Starts the eager servers in the background; adopted connections get the new settings first. */
  async start(): Promise<ReloadResult | undefined> {
    if (!this.adopted) {
      this.manager.start();
      return undefined;
    }
    const result = await this.manager.reload(this.settings.servers);
    this.manager.start();
    this.logger.info('MCP servers reloaded', { added: result.added, removed: result.removed, restarted: result.restarted, unchanged: result.unchanged });
    return result;
  }

  async stop(): Promise<void> {
    await this.manager.stop();
  }

  /** Hands the running connections to the next activation (a reload), or stops them after the grace period. */
  park(): void {
    if (!this.manager.isClosed) park(this.manager);
  }
}
