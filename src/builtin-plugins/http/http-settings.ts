import type { ConfigAccess } from '@nexus/plugin-sdk';

/** `plugins.entries.http.config`, validated against the manifest's configSchema, defaults applied. */
export interface HttpPluginConfig {
  readonly max_body_bytes: number;
  readonly request_timeout_ms: number;
  readonly shutdown_grace_ms: number;
}

/** Everything the server needs to know, gathered from the sections other plugins own. */
export interface HttpSettings extends HttpPluginConfig {
  readonly host: string;
  readonly port: number;
  /** `auth.public_health`: the health routes need no credential. */
  readonly publicHealth: boolean;
  /** `auth.allow_unauthenticated`: with no credentials configured, token routes answer remote callers too. */
  readonly allowUnauthenticated: boolean;
}

// The gateway plugin owns `server` and `auth`; these are its defaults, for when it is not installed.
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 8080;

export function readHttpSettings(settings: ConfigAccess, config: HttpPluginConfig): HttpSettings {
  const server = settings.section<{ host?: string; http_port?: number }>('server');
  return {
    ...config,
    host: server?.host ?? DEFAULT_HOST,
    port: server?.http_port ?? DEFAULT_PORT,
    publicHealth: publicHealth(settings),
    allowUnauthenticated: settings.section<{ allow_unauthenticated?: boolean }>('auth')?.allow_unauthenticated ?? false,
  };
}

/** `auth.public_health`, true unless the operator turned it off. */
export function publicHealth(settings: ConfigAccess): boolean {
  return settings.section<{ public_health?: boolean }>('auth')?.public_health ?? true;
}
