import { parseDuration } from '../duration/index.js';
/** One `llm.providers.<id>` entry as written, before env fallbacks. */
export interface ProviderEntrySettings {
  readonly id: string;
  readonly type: string;
  readonly apiKey?: string;
  readonly baseUrl?: string;
  readonly defaultModel?: string;
  /** `timeout`, e.g. `60s`: time allowed without progress. */
  readonly timeoutMs?: number;
  readonly maxRetries?: number;
}

/** A fallback as written: a provider id, optionally with `/model`. */
export interface FallbackSetting {
  readonly provider: string;
  readonly model?: string;
}

/** The `llm` section, read defensively: keys its schema may not declare yet are optional. */
export interface LlmSettings {
  readonly defaultProvider?: string;
  readonly entries: readonly ProviderEntrySettings[];
  readonly fallbacks: readonly FallbackSetting[];
  readonly cooldownMs?: number;
}

function record(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A duration (`250ms`, `30s`, `1h30m`: parseDuration), or a number of milliseconds. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  return typeof value === 'string' ? parseDuration(value) : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/**
 * Splits `provider/model` when the part before the first slash is a provider id; otherwise the
 * whole string is a model name (OpenRouter models such as `meta-llama/llama-3` contain slashes).
 */
export function splitProviderModel(value: string, isProvider: (id: string) => boolean): FallbackSetting | { readonly provider?: undefined; readonly model: string } {
  const slash = value.indexOf('/');
  if (slash > 0) {
    const provider = value.slice(0, slash);
    const model = value.slice(slash + 1);
    if (isProvider(provider)) return model === '' ? { provider } : { provider, model };
  }
  return { model: value };
}

export function readLlmSettings(llm: Readonly<Record<string, unknown>>): LlmSettings {
  const entries = Object.entries(record(llm.providers)).map(([id, raw]): ProviderEntrySettings => {
    const entry = record(raw);
    return {
      id,
      type: text(entry.type) ?? id,
      apiKey: text(entry.api_key),
      baseUrl: text(entry.base_url),
      defaultModel: text(entry.default_model),
      timeoutMs: durationMs(entry.timeout),
      maxRetries: count(entry.max_retries),
    };
  });
  const fallbacks = (Array.isArray(llm.fallbacks) ? llm.fallbacks : [])
    .map(text)
    .filter((f): f is string => f !== undefined)
    .map((f): FallbackSetting => {
      const slash = f.indexOf('/');
      return slash > 0 && slash < f.length - 1 ? { provider: f.slice(0, slash), model: f.slice(slash + 1) } : { provider: f.replace(/\/$/, '') };
    });
  return { defaultProvider: text(llm.default_provider), entries, fallbacks, cooldownMs: durationMs(llm.cooldown) };
}
