import type { ConfigAccess } from '@nexus/plugin-sdk';

export const PROVIDER_IDS = ['google', 'github'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export function isProviderId(value: string): value is ProviderId {
  return (PROVIDER_IDS as readonly string[]).includes(value);
}

export interface GoogleEndpoints {
  readonly authorization: string;
  readonly token: string;
  readonly userinfo: string;
}

export interface GitHubEndpoints {
  readonly authorization: string;
  readonly token: string;
  readonly api: string;
}

/** `plugins.entries.oauth.config`, validated against the manifest's `configSchema`, defaults applied. */
export interface OAuthPluginConfig {
  readonly state_ttl_seconds: number;
  readonly provider_timeout_ms: number;
  readonly endpoints: { readonly google: GoogleEndpoints; readonly github: GitHubEndpoints };
}

export const DEFAULT_CONFIG: OAuthPluginConfig = {
  state_ttl_seconds: 600,
  provider_timeout_ms: 10_000,
  endpoints: {
    google: {
      authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
      token: 'https://oauth2.googleapis.com/token',
      userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
    },
    github: {
      authorization: 'https://github.com/login/oauth/authorize',
      token: 'https://github.com/login/oauth/access_token',
      api: 'https://api.github.com',
    },
  },
};

export interface ProviderCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `auth.oauth.<provider>.redirect_url`; without it the callback URL is derived from the request. */
  readonly redirectUrl?: string;
  /** Where the id and secret came from, for messages: `auth.oauth.google` or `NEXUS_OAUTH_GOOGLE_*`. */
  readonly source: string;
}

interface ProviderSection {
  readonly client_id?: string;
  readonly client_secret?: string;
  readonly redirect_url?: string;
}

export function envName(provider: ProviderId, part: 'CLIENT_ID' | 'CLIENT_SECRET'): string {
  return `NEXUS_OAUTH_${provider.toUpperCase()}_${part}`;
}

/**
 * A provider's client id and secret: each from `NEXUS_OAUTH_<PROVIDER>_CLIENT_ID` /
 * `_CLIENT_SECRET` when set (the kernel's generic `NEXUS_*` list does not cover these keys, and
 * env wins over the file as it does there), else from `auth.oauth.<provider>`. Undefined when
 * either is missing: such a provider is simply absent.
 */
export function readCredentials(config: ConfigAccess, provider: ProviderId, env: Readonly<Record<string, string | undefined>>): ProviderCredentials | undefined {
  const auth = config.section<{ oauth?: Partial<Record<ProviderId, ProviderSection>> }>('auth');
  const section = auth?.oauth?.[provider] ?? {};
  const fromEnv = (part: 'CLIENT_ID' | 'CLIENT_SECRET') => {
    const value = env[envName(provider, part)]?.trim();
    return value ? value : undefined;
  };
  const envId = fromEnv('CLIENT_ID');
  const envSecret = fromEnv('CLIENT_SECRET');
  const clientId = envId ?? section.client_id;
  const clientSecret = envSecret ?? section.client_secret;
  if (!clientId || !clientSecret) return undefined;
  const source = envId || envSecret ? `${envName(provider, 'CLIENT_ID')} / ${envName(provider, 'CLIENT_SECRET')}` : `auth.oauth.${provider}`;
  return { clientId, clientSecret, source, ...(section.redirect_url ? { redirectUrl: section.redirect_url } : {}) };
}

/** The plugin's config with defaults filled in, for a host that did not apply the schema's. */
export function withDefaults(config: unknown): OAuthPluginConfig {
  const given = (config ?? {}) as Partial<OAuthPluginConfig> & { endpoints?: { google?: Partial<GoogleEndpoints>; github?: Partial<GitHubEndpoints> } };
  return {
    state_ttl_seconds: given.state_ttl_seconds ?? DEFAULT_CONFIG.state_ttl_seconds,
    provider_timeout_ms: given.provider_timeout_ms ?? DEFAULT_CONFIG.provider_timeout_ms,
    endpoints: {
      google: { ...DEFAULT_CONFIG.endpoints.google, ...given.endpoints?.google },
      github: { ...DEFAULT_CONFIG.endpoints.github, ...given.endpoints?.github },
    },
  };
}

/** The JWT secret the gateway signs with; sign-in needs it for its tokens and its state cookie. */
export function readJwtSecret(config: ConfigAccess): string | undefined {
  const secret = config.section<{ jwt_secret?: string }>('auth')?.jwt_secret;
  return secret ? secret : undefined;
}
