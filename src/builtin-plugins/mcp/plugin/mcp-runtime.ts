import type { Logger } from '@nexus/plugin-sdk';
import { McpToolSource } from '../bridge/index.js';
import type { McpSettings } from '../config/index.js';
import { ConnectionManager, type ReloadResult } from '../connections/index.js';
import { adoptParked, park, stopParked } from './handover.js';

/** What Nexus calls itself in MCP handshakes. */
export const NEXUS_CLIENT_INFO = { name: 'nexus', version: '0.1.0' } as const;

/**
 * One activation of the plugin: the `mcp` settings it was started with, the connections to the
 * configured servers and the tool source the agent asks. After a config reload it takes over the
 * previous activation's connections, so only the servers whose settings changed are restarted.
 */
export class McpRuntime {
  readonly source: McpToolSource;
  private readonly adopted: boolean;
  private stopping = false;

  private constructor(
    readonly settings: McpSettings,
    readonly manager: ConnectionManager,
    adopted: boolean,
    private readonly logger: Logger,
  ) {
    this.adopted = adopted;
    this.source = new McpToolSource(manager, { logger });
  }

  static create(settings: McpSettings, logger: Logger): McpRuntime {
    const parked = adoptParked();
    const manager = parked ?? new ConnectionManager({ servers: settings.servers, logger, clientInfo: NEXUS_CLIENT_INFO });
    return new McpRuntime(settings, manager, parked !== undefined, logger);
  }

  /**
   * Starts what a running gateway needs: the eager servers (in the background), or, for adopted
   * connections, the new settings applied to them (only changed servers are restarted).
   */
  async start(): Promise<ReloadResult | undefined> {
    for (const problem of this.settings.problems) this.logger[problem.level === 'error' ? 'error' : 'warn'](`${problem.message}${problem.hint ? `; ${problem.hint}` : ''}`, { pointer: problem.source?.pointer });
    if (!this.adopted) {
      this.manager.start();
      return undefined;
    }
    const result = await this.manager.reload(this.settings.servers);
    this.manager.start();
    this.logger.info('MCP servers reloaded', { added: result.added, removed: result.removed, restarted: result.restarted, unchanged: result.unchanged });
    return result;
  }

  /** The gateway is stopping: stop every server now (and any still parked). */
  async stopForGood(): Promise<void> {
    this.stopping = true;
    await this.manager.stop();
    await stopParked();
  }

  /**
   * The plugin is being deactivated. When the gateway is stopping everything is stopped; otherwise
   * (a reload, or the plugin was disabled) the connections are parked for the next activation to
   * take over, and stopped if none does within the grace period.
   */
  async retire(): Promise<void> {
    if (this.stopping || this.manager.isClosed) return this.stopForGood();
    park(this.manager);
  }
}
