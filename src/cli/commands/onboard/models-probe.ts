import { DEFAULT_BASE_URLS, type ProviderChoice } from './provider-choice.js';

export type ProbeResult =
  | { readonly ok: true; readonly models: readonly string[]; readonly url: string }
  | { readonly ok: false; readonly reason: 'auth' | 'unreachable' | 'http' | 'invalid'; readonly message: string; readonly url: string };

/**
 * Lists the provider's models, which proves the URL answers and the key is accepted: the
 * Anthropic API's `GET /v1/models` (x-api-key) or an OpenAI-compatible `GET <base>/models`
 * (Bearer). Never throws; the key never appears in the result.
 */
export async function probeModels(choice: ProviderChoice, timeoutMs = 8_000): Promise<ProbeResult> {
  const base = (choice.kind === 'compatible' ? choice.baseUrl! : (choice.baseUrl ?? DEFAULT_BASE_URLS[choice.kind])).replace(/\/+$/, '');
  const url = choice.kind === 'anthropic' ? `${base}/v1/models?limit=1000` : `${base}/models`;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (choice.kind === 'anthropic') {
    headers['x-api-key'] = choice.apiKey ?? '';
    headers['anthropic-version'] = '2023-06-01';
  } else if (choice.apiKey) {
    headers.authorization = `Bearer ${choice.apiKey}`;
  }
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const why = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? (error as Error).message);
    return { ok: false, reason: 'unreachable', message: `${url} cannot be reached: ${why}`, url };
  }
  const body = await response.text().catch(() => '');
  if (response.status === 401 || response.status === 403) {
    return { ok: false, reason: 'auth', message: `${url} refused the key (HTTP ${response.status}${detail(body)})`, url };
  }
  if (!response.ok) return { ok: false, reason: 'http', message: `${url} answered HTTP ${response.status}${detail(body)}`, url };
  try {
    const data = (JSON.parse(body) as { data?: { id?: unknown }[] }).data;
    if (!Array.isArray(data)) throw new Error('no data array');
    const models = data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
    return { ok: true, models, url };
  } catch {
    return { ok: false, reason: 'invalid', message: `${url} did not answer with a model list ({"data": [{"id": …}]}); is it the API base (for Ollama, http://127.0.0.1:11434/v1)?`, url };
  }
}

/** The provider's own error message, shortened; a provider never echoes the key back whole. */
function detail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    return typeof message === 'string' ? `: ${message.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
