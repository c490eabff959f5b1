import type { ConfigAccess } from '@nexus/plugin-sdk';

/** The `auth` section, as its schema in nexus.plugin.json fills it in. */
export interface AuthSettings {
  readonly jwt_secret?: string;
  readonly token_expiry: string;
  readonly public_health: boolean;
  readonly allow_unauthenticated: boolean;
}

/** The `server` section. */
export interface ServerSettings {
  readonly host: string;
  readonly grpc_port: number;
  readonly http_port: number;
  readonly metrics_port: number;
  readonly max_message_bytes: number;
  readonly max_concurrent_turns: number;
  readonly drain_timeout: string;
}

export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export function readAuthSettings(config: ConfigAccess): AuthSettings {
  const section = config.section<Partial<AuthSettings>>('auth') ?? {};
  return {
    ...section,
    token_expiry: section.token_expiry ?? '24h',
    public_health: section.public_health ?? true,
    allow_unauthenticated: section.allow_unauthenticated ?? false,
  };
}

export function readServerSettings(config: ConfigAccess): ServerSettings {
  const section = config.section<Partial<ServerSettings>>('server') ?? {};
  return {
    host: section.host ?? '127.0.0.1',
    grpc_port: section.grpc_port ?? 50051,
    http_port: section.http_port ?? 8080,
    metrics_port: section.metrics_port ?? 9090,
    max_message_bytes: section.max_message_bytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    max_concurrent_turns: section.max_concurrent_turns ?? 64,
    drain_timeout: section.drain_timeout ?? '8s',
  };
}
