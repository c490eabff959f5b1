import { ClockToken, CredentialVerifierToken, type PluginActivationContext } from '../../contracts/index.js';
import { isLoopbackHost, readAuthSettings, readServerSettings } from './auth/index.js';
import type { GatewayServer } from './gateway-server.js';
import { CallAuth } from './grpc/call-auth.js';
import { formatAddress, GrpcServer, type ListenAddress, type ServiceRegistration } from './grpc/grpc-server.js';
import { ServingState } from './grpc/serving-state.js';
import { agentService } from './services/agent-service.js';
import { channelService } from './services/channel-service.js';
import { healthService } from './services/health-service.js';
import { sessionService } from './services/session-service.js';
import { StoreAccess } from './services/store-access.js';

/** How long calls in flight may take to finish when the gateway stops, within the kernel's deactivate deadline. */
export const SHUTDOWN_GRACE_MS = 3_000;

/**
 * One activation's gateway. The server opens when the kernel is ready (hook `kernel.ready`, or
 * the plugin's re-activation by a reload), not in `activate`: `nexus auth` activates this plugin
 * too, and must neither take the gRPC port nor trip over the bind policy it may be run to fix.
 * Requests therefore never arrive before every startup plugin is active.
 */
export class GatewayRuntime implements GatewayServer {
  readonly state = new ServingState();
  private ctx: PluginActivationContext | undefined;
  private server: GrpcServer | undefined;
  private opening: Promise<void> | undefined;

  address(): ListenAddress | undefined {
    return this.server?.address();
  }

  status() {
    return this.state.status;
  }

  /** `activate`: remembers what opening the server needs; no I/O. */
  prepare(ctx: PluginActivationContext): void {
    this.ctx = ctx;
  }

  /** Opens the server and reports SERVING. A failure is logged, and the gateway stays closed. */
  open(): Promise<void> {
    this.opening ??= this.listen().then(
      () => this.state.set('SERVING'),
      (error: unknown) => {
        this.ctx?.logger.error(`gRPC API not started: ${(error as Error).message}`);
      },
    );
    return this.opening;
  }

  /** `deactivate`: in-flight calls get the grace period, then the server closes. */
  async close(graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
    await this.opening;
    const server = this.server;
    this.server = undefined;
    if (server) await server.close(graceMs);
    else this.state.close();
  }

  private async listen(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) throw new Error('the gateway was not activated');
    if (this.state.draining) return;
    const server = readServerSettings(ctx.settings);
    const auth = readAuthSettings(ctx.settings);
    const verifier = ctx.get(CredentialVerifierToken);
    const clock = ctx.get(ClockToken);
    const loopback = isLoopbackHost(server.host);
    if (!loopback && !auth.allow_unauthenticated && !(await verifier.required())) {
      throw new Error(
        `refusing to serve gRPC on ${server.host}, beyond loopback, with no credentials configured: set auth.jwt_secret, create an API key (nexus auth api-key create), bind server.host to 127.0.0.1, or set auth.allow_unauthenticated: true if the network is trusted`,
      );
    }

    const callAuth = new CallAuth({
      verifier,
      anonymousAllowed: loopback || auth.allow_unauthenticated,
      listenAddress: () => server.host,
      logger: ctx.logger,
    });
    const stores = new StoreAccess(ctx.services);
    const defaultAgentId = ctx.settings.section<{ default_agent_id?: string }>('session')?.default_agent_id ?? 'main';
    const services: ServiceRegistration[] = [
      sessionService({ stores, defaultAgentId, logger: ctx.logger }),
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
  }
}
