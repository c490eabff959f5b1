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
/** `250ms`, `30s`, `2m`, or a number of milliseconds. */
export declare function durationMs(value: unknown): number | undefined;
/**
 * Splits `provider/model` when the part before the first slash is a provider id; otherwise the
 * whole string is a model name (OpenRouter models such as `meta-llama/llama-3` contain slashes).
 */
export declare function splitProviderModel(value: string, isProvider: (id: string) => boolean): FallbackSetting | {
    readonly provider?: undefined;
    readonly model: string;
};
export declare function readLlmSettings(llm: Readonly<Record<string, unknown>>): LlmSettings;
