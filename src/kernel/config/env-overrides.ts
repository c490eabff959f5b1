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

/**
 * The first-run variables for the model provider. They address one `llm.providers` entry: the
 * one NEXUS_LLM_PROVIDER names, else `llm.default_provider`, else `openai` (a bare
 * NEXUS_LLM_BASE_URL is an OpenAI-compatible server such as Ollama, and the entry's type defaults
 * to its id).
 */
const LLM_VARIABLES = ['NEXUS_LLM_PROVIDER', 'NEXUS_LLM_BASE_URL', 'NEXUS_LLM_MODEL'] as const;

export function overrideVariables(): readonly string[] {
  return [...OVERRIDES.flatMap((o) => o.variables), ...LLM_VARIABLES];
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
  applyLlmOverrides(data, env, origins);
  return { origins, diagnostics };
}

/**
 * NEXUS_LLM_PROVIDER sets `llm.default_provider`; NEXUS_LLM_BASE_URL and NEXUS_LLM_MODEL set
 * `base_url` and `default_model` of that provider's entry (created when missing). Values are
 * checked by the schema like any other, so a bad URL is reported at its pointer.
 */
function applyLlmOverrides(data: Record<string, unknown>, env: NodeJS.ProcessEnv, origins: Map<string, string>): void {
  const set = (name: (typeof LLM_VARIABLES)[number]) => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const provider = set('NEXUS_LLM_PROVIDER');
  const baseUrl = set('NEXUS_LLM_BASE_URL');
  const model = set('NEXUS_LLM_MODEL');
  if (provider === undefined && baseUrl === undefined && model === undefined) return;
  const llm = mapping(data, 'llm');
  if (!llm) return;
  if (provider !== undefined) {
    llm.default_provider = provider;
    origins.set(joinPointer('llm', 'default_provider'), 'env NEXUS_LLM_PROVIDER');
  }
  if (baseUrl === undefined && model === undefined) return;
  const id = provider ?? (typeof llm.default_provider === 'string' && llm.default_provider !== '' ? llm.default_provider : 'openai');
  const providers = mapping(llm, 'providers');
  const entry = providers && mapping(providers, id);
  if (!entry) return;
  if (baseUrl !== undefined) {
    entry.base_url = baseUrl;
    origins.set(joinPointer('llm', 'providers', id, 'base_url'), 'env NEXUS_LLM_BASE_URL');
  }
  if (model !== undefined) {
    entry.default_model = model;
    origins.set(joinPointer('llm', 'providers', id, 'default_model'), 'env NEXUS_LLM_MODEL');
  }
}

/** `parent[key]` as a mapping, created when missing; undefined when it is something else (validation reports that). */
function mapping(parent: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const current = parent[key];
  if (current === undefined || current === null) {
    const created: Record<string, unknown> = {};
    parent[key] = created;
    return created;
  }
  return typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : undefined;
}
