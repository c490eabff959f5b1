import {
  ChannelDeliveryToken,
  CliCommands,
  ConfigToken,
  createToken,
  CredentialVerifierToken,
  definePlugin,
  GatewayServerToken,
  TokenIssuerToken,
  TurnServiceToken,
} from '@nexus/plugin-sdk';
import { GatewayCredentialVerifier, GatewayTokenIssuer } from './auth/index.js';
import { AuthCommand } from './commands/auth-command.js';
import { ChatCommand } from './commands/chat-command.js';
import { GatewayRuntime } from './gateway-runtime.js';

export { GatewayServerToken, type GatewayServer } from '@nexus/plugin-sdk';

/** This activation's runtime, private to the plugin's container. */
const RuntimeToken = createToken<GatewayRuntime>('nexus.gateway.runtime');

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

    // The server opens once startup is complete, so `nexus auth` (which also activates this
    // plugin) never listens.
    ctx.onHook('kernel.ready', () => runtime.open());
    ctx.onHook('kernel.stopping', () => runtime.drain());
  },

  async activate(ctx) {
    const runtime = ctx.get(RuntimeToken);
    runtime.prepare(ctx);
    // A reload restarts the plugin after startup, when no second kernel.ready will come: it opens
    // at once, and a server that cannot open fails the activation, so the reload is undone.
    if (ctx.event === 'reload') await runtime.openOrThrow();
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeToken).close();
  },
});
