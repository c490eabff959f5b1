import { CliCommands, createToken, CredentialVerifierToken, definePlugin, TokenIssuerToken } from '../../contracts/index.js';
import { GatewayCredentialVerifier, GatewayTokenIssuer } from './auth/index.js';
import { AuthCommand } from './commands/auth-command.js';
import { GatewayRuntime } from './gateway-runtime.js';
import { GatewayServerToken } from './gateway-server.js';

export { GatewayServerToken, type GatewayServer } from './gateway-server.js';

/** This activation's runtime, private to the plugin's container. */
const RuntimeToken = createToken<GatewayRuntime>('nexus.gateway.runtime');

/**
 * The gateway: the gRPC API (its services, standard health and reflection) behind credential
 * checks, the credential verifier and token issuer other surfaces use, and `nexus auth`.
 */
export default definePlugin({
  register(ctx) {
    const runtime = new GatewayRuntime();
    ctx.bind(RuntimeToken).toConstantValue(runtime);
    ctx.provide(GatewayServerToken).toConstantValue(runtime);
    ctx.provide(CredentialVerifierToken).to(GatewayCredentialVerifier);
    ctx.provide(TokenIssuerToken).to(GatewayTokenIssuer);
    ctx.contribute(CliCommands, 'auth').to(AuthCommand);

    ctx.onHook('kernel.ready', () => runtime.state.set('SERVING'));
    ctx.onHook('kernel.stopping', () => runtime.state.drain());
    // A reload restarts the gateway after startup completed: no `kernel.ready` comes again.
    ctx.onHook('plugin.activated', ({ pluginId, event }) => {
      if (pluginId === ctx.pluginId && event === 'reload') runtime.state.set('SERVING');
    });
  },

  async activate(ctx) {
    await ctx.get(RuntimeToken).start(ctx);
  },

  async deactivate(ctx) {
    await ctx.get(RuntimeToken).stop();
  },
});
