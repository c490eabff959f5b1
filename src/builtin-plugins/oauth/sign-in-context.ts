import {
  HttpError,
  TokenIssuerToken,
  UserStoreToken,
  type Clock,
  type ConfigAccess,
  type Logger,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import { endpointProblem } from './endpoint-policy.js';
import { envName, PROVIDER_IDS, readCredentials, readJwtSecret, withDefaults, type OAuthPluginConfig, type ProviderCredentials, type ProviderId } from './oauth-settings.js';
import { createProvider, type OAuthProvider } from './providers/index.js';
import { StateSeal } from './state-seal.js';
import { UsedStates } from './used-states.js';

/** A provider as this process sees it: usable, not configured at all, or configured wrongly. */
export type ProviderSlot =
  | { readonly status: 'ready'; readonly provider: OAuthProvider; readonly credentials: ProviderCredentials }
  | { readonly status: 'absent' }
  | { readonly status: 'misconfigured'; readonly problem: string };

/** Everything the routes need, settled once per activation (a config reload restarts the plugin). */
export interface SignInContext {
  readonly providers: ReadonlyMap<ProviderId, ProviderSlot>;
  /** Undefined without `auth.jwt_secret`: no tokens can be issued, so no sign-in starts. */
  readonly seal: StateSeal | undefined;
  readonly used: UsedStates;
  readonly config: OAuthPluginConfig;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface SignInSetup {
  readonly settings: ConfigAccess;
  readonly pluginConfig: unknown;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly services: ServiceRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

export function createSignInContext(setup: SignInSetup): SignInContext {
  const config = withDefaults(setup.pluginConfig);
  const providers = new Map<ProviderId, ProviderSlot>();
  for (const id of PROVIDER_IDS) {
    const credentials = readCredentials(setup.settings, id, setup.env);
    if (!credentials) {
      providers.set(id, { status: 'absent' });
      continue;
    }
    const problem = endpointProblem(id, credentials, config);
    if (problem) {
      setup.logger.error(`OAuth sign-in with ${id} is off: ${problem}`, { provider: id });
      providers.set(id, { status: 'misconfigured', problem });
    } else {
      providers.set(id, { status: 'ready', provider: createProvider(id, credentials, config), credentials });
    }
  }
  const secret = readJwtSecret(setup.settings);
  const ready = [...providers].filter(([, slot]) => slot.status === 'ready').map(([id]) => id);
  if (ready.length > 0 && !secret) setup.logger.warn(`OAuth sign-in (${ready.join(', ')}) cannot start until auth.jwt_secret is set`);
  return {
    providers,
    seal: secret ? new StateSeal(secret, setup.clock) : undefined,
    used: new UsedStates(),
    config,
    services: setup.services,
    clock: setup.clock,
    logger: setup.logger,
  };
}

/** The usable provider `id`, or the error that says why it is not. */
export function readyProvider(context: SignInContext, id: ProviderId): Extract<ProviderSlot, { status: 'ready' }> {
  const slot = context.providers.get(id) ?? { status: 'absent' };
  if (slot.status === 'ready') return slot;
  if (slot.status === 'misconfigured') throw new HttpError(503, 'provider_misconfigured', `sign-in with ${id} is off: ${slot.problem}`);
  throw new HttpError(
    404,
    'provider_not_configured',
    `sign-in with ${id} is not configured; set auth.oauth.${id}.client_id and client_secret in nexus.yaml, or ${envName(id, 'CLIENT_ID')} and ${envName(id, 'CLIENT_SECRET')}`,
  );
}

/** The state seal, or 503 when `auth.jwt_secret` is missing: no token could be issued anyway. */
export function requireSeal(context: SignInContext): StateSeal {
  if (context.seal) return context.seal;
  throw new HttpError(503, 'signin_unavailable', 'sign-in is unavailable: auth.jwt_secret is not set, so no token can be issued; set it (at least 32 random characters) and restart');
}

/** 503 unless both the token issuer (gateway) and a user store (storage) are enabled. */
export function requireServices(context: SignInContext): void {
  const missing = [
    ...(context.services.has(TokenIssuerToken) ? [] : ['the token issuer (enable the gateway plugin)']),
    ...(context.services.has(UserStoreToken) ? [] : ['a user store (enable a storage plugin)']),
  ];
  if (missing.length > 0) throw new HttpError(503, 'signin_unavailable', `sign-in is unavailable: it needs ${missing.join(' and ')}`);
}
