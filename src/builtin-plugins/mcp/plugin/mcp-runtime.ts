import type { Logger } from '@nexus/plugin-sdk';
import type { McpSettings } from '../config/index.js';
import { hasParked, stopParked } from './handover.js';
import type { McpEngine } from './mcp-engine.js';

/** The part of the plugin that loads the MCP SDK, imported on first need. */
export const loadHeavy = () => import('./heavy.js');

/**
 * One activation of the plugin: the `mcp` settings it was started with, and the engine
 * (connections, tool source) loaded on first need. A gateway with only lazy servers loads no MCP
 * code at start-up; eager servers are connected in the background, never awaited by start-up.
 */
export class McpRuntime {
  private loaded: Promise<McpEngine> | undefined;
  private stopping = false;

  constructor(
    readonly settings: McpSettings,
    private readonly logger: Logger,
  ) {}

  /** The engine, loaded (and its connections created, not started) on first call. */
  engine(): Promise<McpEngine> {
    this.loaded ??= loadHeavy().then(({ McpEngine }) => McpEngine.create(this.settings, this.logger));
    return this.loaded;
  }

  /**
   * What a running gateway needs at activation: the problems of the section logged, and the
   * engine started when there is something to start (an eager server, or connections a reload
   * handed over, which are reconciled before this resolves). Returns at once otherwise.
   */
  async start(): Promise<void> {
    for (const problem of this.settings.problems) this.logger[problem.level === 'error' ? 'error' : 'warn'](`${problem.message}${problem.hint ? `; ${problem.hint}` : ''}`, { pointer: problem.source?.pointer });
    if (hasParked()) {
      await (await this.engine()).start();
      return;
    }
    if (!this.settings.servers.some((server) => server.enabled && server.start === 'eager')) return;
    void this.engine()
      .then((engine) => engine.start())
      .catch((error: unknown) => this.logger.error(`the MCP bridge could not start: ${(error as Error).message}`));
  }

  /** The gateway is stopping: stop every server now (and any still parked). */
  async stopForGood(): Promise<void> {
    this.stopping = true;
    if (this.loaded) await (await this.loaded).stop();
    await stopParked();
  }

  /**
   * The plugin is being deactivated. When the gateway is stopping everything is stopped; otherwise
   * (a reload, or the plugin was disabled) the connections are parked for the next activation to
   * take over, and stopped if none does within the grace period.
   */
  async retire(): Promise<void> {
    if (this.stopping) return this.stopForGood();
    if (this.loaded) (await this.loaded).park();
  }
}
