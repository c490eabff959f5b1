import {
  ConfigToken,
  ContributionsToken,
  createToken,
  definePlugin,
  GatewayServerToken,
  HttpRoutes,
  HttpServerToken,
  LoggerToken,
  PluginConfigToken,
  ServicesToken,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import { livenessRoute, Readiness, readinessRoute } from './health-routes.js';
import { readHttpSettings, type HttpPluginConfig } from './http-settings.js';
import { RouteServer } from './route-server.js';

/** The server itself, bound privately: the service token exposes only `address()`. */
const RouteServerBinding = createToken<RouteServer>('nexus.http.route-server');

/**
 * The HTTP server: listens on server.host:server.http_port at startup, dispatches to the routes
 * plugins contribute, and serves liveness and readiness itself. Readiness follows the kernel's
 * hooks: ready once startup finished, not ready again as soon as shutdown begins.
 */
export default definePlugin<HttpPluginConfig>({
  register(ctx) {
    const readiness = new Readiness();
    ctx.onHook('kernel.ready', () => readiness.markReady());
    ctx.onHook('kernel.stopping', () => readiness.markDraining());
    // A reload restarts this plugin after startup finished; no second kernel.ready will come.
    ctx.onHook('plugin.activated', ({ pluginId, event }) => {
      if (pluginId === ctx.pluginId && event === 'reload') readiness.markReady();
    });

    ctx
      .bind(RouteServerBinding)
      .toDynamicValue(
        (context) =>
          new RouteServer({
            settings: readHttpSettings(context.get(ConfigToken), context.get<HttpPluginConfig>(PluginConfigToken)),
            contributions: context.get(ContributionsToken),
            services: context.get(ServicesToken),
            logger: context.get(LoggerToken),
            pluginId: ctx.pluginId,
          }),
      );
    ctx.provide(HttpServerToken).toDynamicValue((context) => context.get(RouteServerBinding));
    // Their manifest policy is public; the server asks for a credential when auth.public_health is false.
    ctx.contribute(HttpRoutes, '/healthz').toConstantValue(livenessRoute());
    ctx.contribute(HttpRoutes, '/readyz').toDynamicValue((context) => {
      const services = context.get<ServiceRegistry>(ServicesToken);
      const grpc = async () => (services.has(GatewayServerToken) ? (await services.get(GatewayServerToken)).status() : undefined);
      return readinessRoute(readiness, grpc);
    });
  },

  async activate(ctx) {
    const server = await ctx.getAsync(RouteServerBinding);
    const address = await server.listen();
    ctx.logger.info(`http server listening on ${address.url}`, { host: address.host, port: address.port });
  },

  async deactivate(ctx) {
    const server = await ctx.getAsync(RouteServerBinding);
    await server.close();
  },
});
