import { setTimeout as delay } from 'node:timers/promises';
import { classifyProviderFailure, retryAfterMsFromHeaders } from '@nexus/plugin-sdk';
import { redactSecrets } from '../daily-log/index.js';
import type { Embedder, EmbeddingInputType } from './embedder.js';
import { EmbeddingError } from './embedding-error.js';

export interface OpenAiCompatibleOptions {
  /** `https://api.openai.com/v1`; a URL ending in `/embeddings` is used as given. */
  readonly baseUrl: string;
  readonly apiKey?: string;
  readonly model: string;
  readonly dimensions?: number;
  /** Texts per request. */
  readonly batchSize: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Waits between attempts; tests pass one that does not wait. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

interface ApiErrorBody {
  readonly error?: { readonly message?: string; readonly type?: string; readonly code?: string | number } | string;
}

/**
 * Any OpenAI-compatible `/embeddings` endpoint (OpenAI, OpenRouter, Ollama, vLLM, LM Studio…):
 * POST `{model, input[, dimensions]}`, read `data[].embedding` by `index`. Failures are
 * classified like provider failures; rate limits, server errors, timeouts and network errors are
 * retried with backoff (or the server's `retry-after`), the rest fail at once.
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  readonly provider: string;
  readonly model: string;
  readonly dimensions: number | undefined;
  /** HTTP requests made, retries included. */
  requests = 0;
  private readonly endpoint: string;
  private readonly shownEndpoint: string;
  /** Credentials written into the base URL, sent as Basic auth (fetch refuses them in the URL) unless there is an API key. */
  private readonly basicAuth: string | undefined;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    const url = new URL(options.baseUrl);
    this.basicAuth = url.username || url.password ? Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64') : undefined;
    url.username = '';
    url.password = '';
    url.hash = '';
    const query = url.search;
    url.search = '';
    const base = url.toString().replace(/\/+$/, '');
    this.shownEndpoint = /\/embeddings$/.test(base) ? base : `${base}/embeddings`;
    this.endpoint = `${this.shownEndpoint}${query}`;
    this.provider = `openai-compatible:${base.replace(/\/embeddings$/, '')}`;
    this.model = options.model;
    this.dimensions = options.dimensions;
  }

  async embed(texts: readonly string[], _inputType: EmbeddingInputType, signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.options.batchSize) {
      vectors.push(...(await this.withRetries(texts.slice(i, i + this.options.batchSize), signal)));
    }
    return vectors;
  }

  private async withRetries(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const sleep = this.options.sleep ?? ((ms: number, s?: AbortSignal) => delay(ms, undefined, { signal: s }));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request(texts, signal);
      } catch (error) {
        if (!(error instanceof EmbeddingError) || !error.retryable || attempt >= this.options.maxRetries || signal?.aborted) throw error;
        const backoff = Math.min(8_000, 250 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
        await sleep(error.retryAfterMs ?? backoff, signal);
      }
    }
  }

  private async request(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    this.requests++;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : this.basicAuth ? { authorization: `Basic ${this.basicAuth}` } : {}),
          ...this.options.headers,
        },
        body: JSON.stringify({ model: this.model, input: texts, ...(this.dimensions !== undefined ? { dimensions: this.dimensions } : {}) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) throw new EmbeddingError('timeout', `no answer from ${this.shownEndpoint} within ${this.options.timeoutMs} ms (memory.embeddings.timeout)`, undefined, undefined, { cause: error });
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new EmbeddingError('network', `cannot reach ${this.shownEndpoint}: ${this.scrub(cause?.code ?? cause?.message ?? (error as Error).message)}`, undefined, undefined, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (!response.ok) throw this.httpFailure(response, text);
    let body: { data?: { index?: number; embedding?: unknown }[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new EmbeddingError('server_error', `${this.shownEndpoint} answered ${response.status} with something that is not JSON`, response.status);
    }
    return this.vectorsOf(body, texts.length, response.status);
  }

  private httpFailure(response: Response, text: string): EmbeddingError {
    let message = text.slice(0, 300);
    let code: string | undefined;
    let type: string | undefined;
    try {
      const error = (JSON.parse(text) as ApiErrorBody).error;
      if (typeof error === 'string') message = error;
      else if (error) {
        message = error.message ?? message;
        code = error.code === undefined ? undefined : String(error.code);
        type = error.type;
      }
    } catch {
      // Not JSON: the start of the body is the message.
    }
    const reason = classifyProviderFailure({ status: response.status, code, type, message });
    const hint = reason === 'auth' ? ' (check memory.embeddings.api_key)' : reason === 'model_unavailable' ? ` (check memory.embeddings.model "${this.model}")` : '';
    const retryAfterMs = retryAfterMsFromHeaders((name) => response.headers.get(name));
    return new EmbeddingError(reason, `${this.shownEndpoint} answered ${response.status}: ${this.scrub(message || response.statusText)}${hint}`, response.status, retryAfterMs);
  }

  private vectorsOf(body: { data?: { index?: number; embedding?: unknown }[] }, expected: number, status: number): Float32Array[] {
    const invalid = (what: string) => new EmbeddingError('server_error', `${this.shownEndpoint} answered ${status} but ${what}`, status);
    if (!Array.isArray(body.data) || body.data.length !== expected) throw invalid(`sent ${Array.isArray(body.data) ? body.data.length : 'no'} embeddings for ${expected} texts`);
    const vectors: Float32Array[] = new Array<Float32Array>(expected);
    body.data.forEach((item, position) => {
      const index = typeof item.index === 'number' ? item.index : position;
      const vector = toVector(item.embedding);
      if (!vector || vector.length === 0) throw invalid(`embedding ${index} is not a list of numbers`);
      if (index < 0 || index >= expected || vectors[index]) throw invalid(`embedding index ${index} is out of place`);
      vectors[index] = vector;
    });
    const size = vectors[0]!.length;
    if (vectors.some((v) => v.length !== size)) throw invalid('its embeddings differ in length');
    if (this.dimensions !== undefined && size !== this.dimensions) {
      throw new EmbeddingError('invalid_request', `${this.shownEndpoint} returned ${size}-dimensional vectors, but memory.embeddings.dimensions is ${this.dimensions}; remove dimensions or set it to ${size}`, status);
    }
    return vectors;
  }

  private scrub(message: string): string {
    const key = this.options.apiKey;
    return redactSecrets(key ? message.split(key).join('[redacted]') : message);
  }
}

function toVector(value: unknown): Float32Array | undefined {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'base64');
    return bytes.length % 4 === 0 ? new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) : undefined;
  }
  if (!Array.isArray(value) || value.some((n) => typeof n !== 'number' || !Number.isFinite(n))) return undefined;
  return Float32Array.from(value as number[]);
}
