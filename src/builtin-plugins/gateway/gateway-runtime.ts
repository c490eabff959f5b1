import { parseDuration } from '@nexus/plugin-sdk';
import {
  AgentRuntimeToken,
  ClockToken,
  CredentialVerifierToken,
  type GatewayServer,
  type ListenAddress,
  type ChannelDelivery,
  type PluginActivationContext,
  type SessionStore,
  type TurnService,
} from '@nexus/plugin-sdk';
import { isLoopbackHost, readAuthSettings, readServerSettings } from './auth/index.js';
import { GatewayLease } from './gateway-lease.js';
import { CallAuth } from './grpc/call-auth.js';
import { formatAddress, GrpcServer, type ServiceRegistration } from './grpc/grpc-server.js';
import { ServingState } from './grpc/serving-state.js';
import { checkMigrations } from './migration-gate.js';
import { ChannelRouter, MessagePipeline, TurnRunner } from './pipeline/index.js';
import { agentService } from './services/agent-service.js';
import { channelService } from './services/channel-service.js';
import { gatewayStreamService, OpenStreams } from './services/gateway-stream-service.js';
import { healthService } from './services/health-service.js';
import { sessionService } from './services/session-service.js';
import { StoreAccess } from './services/store-access.js';
import { GatewayChannelDelivery, GatewayTurnService } from './turns/index.js';

/** How long calls in flight may take to finish when the gateway stops, within the kernel's deactivate deadline. */
export const SHUTDOWN_GRACE_MS = 3_000;

/**
 * One activation's gateway. The server opens when the kernel is ready (hook `kernel.ready`, or
 * the plugin's re-activation by a reload), not in `activate`: `nexus auth` activates this plugin
 * too, and must neither take the gRPC port nor trip over the bind policy it may be run to fix.
 * Requests therefore never arrive before every startup plugin is active.
 *
 * Opening also starts the message pipeline and the channels; draining (hook `kernel.stopping`)
 * reports NOT_SERVING, stops taking messages and lets turns in flight finish.
 */
export class GatewayRuntime implements GatewayServer {
  readonly state = new ServingState();
  private readonly streams = new OpenStreams();
  private ctx: PluginActivationContext | undefined;
  private server: GrpcServer | undefined;
  private pipeline: MessagePipeline | undefined;
  private sessions: (() => Promise<SessionStore>) | undefined;
  /** Aborts when the gateway closes: plugin deliveries still retrying are cut short. */
  private stopping = new AbortController();
  private channels: ChannelRouter | undefined;
  private lease: GatewayLease | undefined;
  /** The lease being recorded while the server already answers; never rejects (problems are logged). */
  private leased: Promise<void> | undefined;
  private opening: Promise<ListenAddress> | undefined;

  address(): ListenAddress | undefined {
    return this.server?.address();
  }

  status() {
    return this.state.status;
  }

  /** Turns running or queued now (0 before the server opened). */
  turnsInFlight(): number {
    return this.pipeline?.inFlight() ?? 0;
  }

  opened(): Promise<ListenAddress> {
    return this.opening ?? Promise.reject(new Error('the gateway has not been asked to open: it opens when `nexus serve` finishes starting'));
  }

  /**
   * `activate`: remembers what opening the server needs and makes the message pipeline, which
   * plugins' turns (`nexus.gateway.turns`) use from activation on, before the server opens; no I/O.
   */
  prepare(ctx: PluginActivationContext): void {
    this.ctx = ctx;
    this.stopping = new AbortController();
    const stores = new StoreAccess(ctx.services);
    const sessions = () => stores.sessions();
    this.sessions = sessions;
    const runner = new TurnRunner({ sessions, runtime: () => ctx.services.get(AgentRuntimeToken), hooks: ctx.hooks, clock: ctx.get(ClockToken), logger: ctx.logger });
    this.pipeline = new MessagePipeline(runner, sessions, ctx.tasks, { maxConcurrentTurns: readServerSettings(ctx.settings).max_concurrent_turns });
  }

  /** The activation's message pipeline; what runs plugins' turns. */
  turnPipeline(): MessagePipeline {
    if (!this.pipeline) throw new Error('the gateway plugin is not active, so no turns run: enable the gateway plugin (it starts with `nexus serve`)');
    return this.pipeline;
  }

  /** The session key agent for conversations named without one (`session.default_agent_id`). */
  defaultAgentId(): string {
    return this.ctx?.settings.section<{ default_agent_id?: string }>('session')?.default_agent_id ?? 'main';
  }

  /** `nexus.gateway.turns`: plugins' turns, through this activation's pipeline. */
  turnService(): TurnService {
    return new GatewayTurnService({
      pipeline: () => this.turnPipeline(),
      sessions: () => (this.sessions ?? (() => Promise.reject(new Error('the gateway plugin is not active'))))(),
      defaultAgentId: () => this.defaultAgentId(),
    });
  }

  /** `nexus.gateway.delivery`: plugins' sends to channel targets. */
  channelDelivery(): ChannelDelivery {
    const ctx = this.ctx;
    if (!ctx) throw new Error('the gateway plugin is not active, so nothing can be delivered: enable the gateway plugin');
    return new GatewayChannelDelivery({ contributions: ctx.contributions, hooks: ctx.hooks, clock: ctx.get(ClockToken), logger: ctx.logger, stopping: () => this.stopping.signal });
  }

  /**
   * Opens the server and reports SERVING. A failure leaves the gateway closed; `opened()` rejects
   * with it, and the host (`nexus serve`) reports it, so it is logged here only at debug level.
   */
  open(): Promise<void> {
    return this.openOrThrow().catch((error: unknown) => this.ctx?.logger.debug(`gRPC API not started: ${(error as Error).message}`));
  }

  /** Opens the server and reports SERVING, or rejects saying why it could not. */
  async openOrThrow(): Promise<void> {
    this.opening ??= this.listen();
    await this.opening;
    this.state.set('SERVING');
    await this.leased;
  }

  /**
   * `nexus chat --embedded`: the same gateway on a free loopback port, without the channels (the
   * chat user is the only caller). Resolves with the address, or rejects saying why not.
   */
  async openEmbedded(): Promise<ListenAddress> {
    this.opening ??= this.listen({ host: '127.0.0.1', port: 0, channels: false });
    const address = await this.opening;
    this.state.set('SERVING');
    await this.leased;
    return address;
  }

  /**
   * `plugin.activated`: after a reload restarted (or enabled) a channel's plugin, the channels
   * are served anew with their new settings. In the background, as a tracked task: connecting
   * may outlast an observing hook's deadline.
   */
  followReload(event: string): void {
    const channels = this.channels;
    if (!channels || !this.ctx || event !== 'reload') return;
    this.ctx.tasks.run('channels follow a config reload', () => channels.follow(event)).catch((error: unknown) => this.ctx?.logger.error(`channels could not follow the config reload: ${(error as Error).message}`));
  }

  /** `kernel.stopping`: NOT_SERVING, no new messages, turns in flight get `server.drain_timeout`. */
  async drain(): Promise<void> {
    this.state.drain();
    // Channels first, so they stop accepting messages the pipeline would refuse.
    await this.channels?.stop();
    if (!this.pipeline || !this.ctx) return;
    const settings = readServerSettings(this.ctx.settings);
    const { finished } = await this.pipeline.drain(parseDuration(settings.drain_timeout) ?? 8_000);
    if (!finished) this.ctx.logger.warn(`turns still running after server.drain_timeout (${settings.drain_timeout}) were cut off and stored as interrupted`);
    this.streams.shutDown();
    // The stores are still open now; by the time the plugin is deactivated they may not be.
    await this.lease?.release();
  }

  /** `deactivate`: channels stop, turns still running are cut off, then the server closes. */
  async close(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    await this.opening?.catch(() => undefined);
    await this.channels?.stop();
    await this.pipeline?.drain(0);
    this.channels?.abortDeliveries();
    this.stopping.abort(new Error('the gateway stopped'));
    this.streams.shutDown();
    const server = this.server;
    this.server = undefined;
    if (server) await server.close(graceMs);
    else this.state.close();
    await this.lease?.release();
    this.lease = undefined;
  }

  private async listen(overrides: { readonly host?: string; readonly port?: number; readonly channels?: boolean } = {}): Promise<ListenAddress> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('the gateway was not activated');
    if (this.state.draining) throw new Error('the gateway is shutting down');
    const configured = readServerSettings(ctx.settings);
    const server = { ...configured, host: overrides.host ?? configured.host, grpc_port: overrides.port ?? configured.grpc_port };
    const auth = readAuthSettings(ctx.settings);
    const verifier = ctx.get(CredentialVerifierToken);
    const clock = ctx.get(ClockToken);
    const loopback = isLoopbackHost(server.host);
    // Asked every time, not only for the bind policy: the verifier records that credentials are configured.
    const credentialsRequired = await verifier.required();
    if (!loopback && !auth.allow_unauthenticated && !credentialsRequired) {
      throw new Error(
        `refusing to serve gRPC on ${server.host}, beyond loopback, with no credentials configured: set auth.jwt_secret, create an API key (nexus auth api-key create), bind server.host to 127.0.0.1, or set auth.allow_unauthenticated: true if the network is trusted`,
      );
    }
    await checkMigrations(ctx.services);

    const callAuth = new CallAuth({
      verifier,
      anonymousAllowed: loopback || auth.allow_unauthenticated,
      listenAddress: () => server.host,
      logger: ctx.logger,
    });
    const stores = new StoreAccess(ctx.services);
    const defaultAgentId = this.defaultAgentId();
    const pipeline = this.turnPipeline();

    const services: ServiceRegistration[] = [
      gatewayStreamService(callAuth, { pipeline, stores, defaultAgentId, clock, logger: ctx.logger }, this.streams),
      sessionService({ stores, defaultAgentId, auth: callAuth, logger: ctx.logger }),
      agentService({ stores, auth: callAuth, logger: ctx.logger }),
      channelService({ stores, auth: callAuth, contributions: ctx.contributions, logger: ctx.logger }),
    ];
    const names = [...services.map((s) => s.name), 'nexus.v1.HealthService'];
    services.push(healthService({ state: this.state, clock, serviceNames: () => names, logger: ctx.logger }));

    const grpc = new GrpcServer({
      host: server.host,
      port: server.grpc_port,
      maxMessageBytes: server.max_message_bytes,
      auth: callAuth,
      state: this.state,
      services,
      logger: ctx.logger,
    });
    const address = await grpc.listen();
    this.server = grpc;
    this.state.startedAt = clock.now();
    ctx.logger.info(`gRPC API listening on ${formatAddress(address)}`, { host: address.host, port: address.port, services: names });
    this.lease = new GatewayLease(ctx.services, clock, ctx.logger);
    // Not awaited here: SERVING does not wait for a database write (on SQLite the first write
    // after opening syncs a new WAL file and its folder). Opening resolves once it is recorded.
    this.leased = this.lease.take(formatAddress(address));

    if (overrides.channels === false) return address;
    this.channels = new ChannelRouter({ contributions: ctx.contributions, pipeline, hooks: ctx.hooks, clock, logger: ctx.logger, defaultAgentId: () => defaultAgentId });
    const started = await this.channels.start(ctx.signal);
    if (started.length > 0) ctx.logger.info(`channels started: ${started.join(', ')}`);
    return address;
  }
}
