import type { Diagnostic } from '@nexus/plugin-sdk';
import { joinPointer } from '../schema/index.js';

interface Override {
  /** Checked in order; the first that is set wins. */
  readonly variables: readonly string[];
  readonly path: readonly [string, string];
  readonly type: 'string' | 'port';
}

/** The common keys an environment can set without touching the file. */
const OVERRIDES: readonly Override[] = [
  { variables: ['NEXUS_HOST'], path: ['server', 'host'], type: 'string' },
  { variables: ['NEXUS_GRPC_PORT'], path: ['server', 'grpc_port'], type: 'port' },
  { variables: ['NEXUS_HTTP_PORT'], path: ['server', 'http_port'], type: 'port' },
  { variables: ['NEXUS_METRICS_PORT'], path: ['server', 'metrics_port'], type: 'port' },
  { variables: ['NEXUS_DATABASE_URL', 'DATABASE_URL'], path: ['database', 'url'], type: 'string' },
  { variables: ['NEXUS_JWT_SECRET', 'JWT_SECRET'], path: ['auth', 'jwt_secret'], type: 'string' },
  { variables: ['NEXUS_TOKEN_EXPIRY'], path: ['auth', 'token_expiry'], type: 'string' },
  { variables: ['NEXUS_LOG_LEVEL'], path: ['logging', 'level'], type: 'string' },
];

export function overrideVariables(): readonly string[] {
  return OVERRIDES.flatMap((o) => o.variables);
}

/**
 * Applies `NEXUS_*` overrides to `data` in place. Returns which pointer each variable set, and
 * problems: a malformed value is an error naming the variable (never silently ignored).
 */
export function applyEnvOverrides(
  data: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
): { readonly origins: ReadonlyMap<string, string>; readonly diagnostics: readonly Diagnostic[] } {
  const origins = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  for (const override of OVERRIDES) {
    const variable = override.variables.find((name) => env[name] !== undefined && env[name] !== '');
    if (!variable) continue;
    const raw = env[variable]!;
    let value: string | number = raw;
    if (override.type === 'port') {
      value = Number(raw);
      if (!/^\d+$/.test(raw) || value > 65535) {
        diagnostics.push({
          level: 'error',
          code: 'config.env-invalid',
          message: `${variable}=${JSON.stringify(raw)} is not a port number`,
          source: { pointer: joinPointer(...override.path) },
          hint: `set ${variable} to a number from 0 (any free port) to 65535, or unset it`,
        });
        continue;
      }
    }
    const [section, key] = override.path;
    const current = data[section];
    // A section that is not a mapping is left for validation to report, not silently replaced.
    if (current !== undefined && current !== null && (typeof current !== 'object' || Array.isArray(current))) continue;
    const target = (current as Record<string, unknown> | undefined | null) ?? {};
    target[key] = value;
    data[section] = target;
    origins.set(joinPointer(...override.path), `env ${variable}`);
  }
  return { origins, diagnostics };
}
