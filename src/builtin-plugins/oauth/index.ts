import { ClockToken, ConfigToken, createToken, definePlugin, HttpRoutes, LoggerToken, PluginConfigToken, ServicesToken } from '@nexus/plugin-sdk';
import { createSignInContext, type SignInContext } from './sign-in-context.js';
import { ROUTE_PREFIX, signInRoute } from './sign-in-route.js';

const ContextToken = createToken<SignInContext>('nexus.oauth.sign-in');

/**
 * OAuth sign-in with Google and GitHub under /auth/oauth: the authorize redirect with a state
 * sealed in a cookie and PKCE, and the callback that links or creates the user and answers a
 * gateway JWT. Credentials, endpoints and secrets are read once per activation.
 */
export default definePlugin({
  register(ctx) {
    ctx
      .bind(ContextToken)
      .toDynamicValue((c) =>
        createSignInContext({
          settings: c.get(ConfigToken),
          pluginConfig: c.get(PluginConfigToken),
          env: process.env,
          services: c.get(ServicesToken),
          clock: c.get(ClockToken),
          logger: c.get(LoggerToken),
        }),
      );
    ctx.contribute(HttpRoutes, ROUTE_PREFIX).toDynamicValue((c) => signInRoute(c.get<SignInContext>(ContextToken)));
  },
});
