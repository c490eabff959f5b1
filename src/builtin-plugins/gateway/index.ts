import {
  ADMIN_STATUS_PATH,
  ChannelDeliveryToken,
  ClockToken,
  CliCommands,
  ConfigToken,
  ContributionsToken,
  createToken,
  CredentialVerifierToken,
  definePlugin,
  GatewayServerToken,
  HostStatusToken,
  HttpRoutes,
  HttpServerToken,
  LoggerToken,
  ServicesToken,
  TokenIssuerToken,
  TurnServiceToken,
} from '@nexus/plugin-sdk';
import { adminStatusRoute, RecentErrors } from './admin/index.js';
import { GatewayCredentialVerifier, GatewayTokenIssuer } from './auth/index.js';
import { AuthCommand } from './commands/auth-command.js';
import { ChatCommand } from './commands/chat-command.js';
import { GatewayRuntime } from './gateway-runtime.js';

export { GatewayServerToken, type GatewayServer } from '@nexus/plugin-sdk';

/** This activation's runtime, private to the plugin's container. */
const RuntimeToken = createToken<GatewayRuntime>('nexus.gateway.runtime');
const RecentErrorsToken = createToken<RecentErrors>('nexus.gateway.recent-errors');

/**
 * The gateway: the gRPC API (its services, standard health and reflection) behind credential
 * checks, the credential verifier and token issuer other surfaces use, the turn and delivery
 * services plugins run turns and send to channels with, and `nexus auth`.
 */
export default definePlugin({
  register(ctx) {
    const runtime = new GatewayRuntime();
    ctx.bind(RuntimeToken).toConstantValue(runtime);
    ctx.provide(GatewayServerToken).toConstantValue(runtime);
    ctx.provide(CredentialVerifierToken).to(GatewayCredentialVerifier);
    ctx.provide(TokenIssuerToken).to(GatewayTokenIssuer);
    // Sensitive (the manifest says so): a plugin lists them in `permissions` to resolve them.
    ctx.provide(TurnServiceToken).toDynamicValue(() => runtime.turnService());
    ctx.provide(ChannelDeliveryToken).toDynamicValue(() => runtime.channelDelivery());
    ctx.contribute(CliCommands, 'auth').to(AuthCommand);
    ctx.contribute(CliCommands, 'chat').toDynamicValue(
      (context) =>
        new ChatCommand({
          runtime,
          settings: context.get(ConfigToken),
          verifier: () => context.get(CredentialVerifierToken),
          tokens: () => context.get(TokenIssuerToken),
          env: process.env,
        }),
    );

    // Recent errors are heard from registration on, so failures during startup are among them.
    const errors = new RecentErrors();
    errors.listen(ctx);
    ctx.bind(RecentErrorsToken).toConstantValue(errors);
    ctx.contribute(HttpRoutes, ADMIN_STATUS_PATH).toDynamicValue((context) => {
      const services = context.get(ServicesToken);
      return adminStatusRoute({
        runtime,
        errors,
        host: () => services.get(HostStatusToken),
        http: () => services.get(HttpServerToken),
        contributions: context.get(ContributionsToken),
        clock: context.get(ClockToken),
        logger: context.get(LoggerToken),
      });
    });

    // The server opens once startup is complete, so `nexus auth` (which also activates this
    // plugin) never listens.
    ctx.onHook('kernel.ready', () => runtime.open());
    ctx.onHook('kernel.stopping', () => runtime.drain());
    // A reload restarts only the plugins whose settings changed: the channels among them reconnect.
    ctx.onHook('plugin.activated', ({ event }) => runtime.followReload(event));
  },

  async activate(ctx) {
    const runtime = ctx.get(RuntimeToken);
    runtime.prepare(ctx);
    ctx.get(RecentErrorsToken).clock = ctx.get(ClockToken);
    // A reload restarts the plugin after startup, when no second kernel.ready will come: it opens
    // at once, and a server that cannot open fails the activation, so the reload is undone.
    if (ctx.event === 'reload') await runtime.openOrThrow();
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeToken).close();
  },
});
