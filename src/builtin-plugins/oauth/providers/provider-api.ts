import { HttpError } from '@nexus/plugin-sdk';
import type { ProviderId } from '../oauth-settings.js';
import { printable } from './printable.js';

/** Answers bigger than this are not user info; refusing them bounds memory. */
const MAX_ANSWER_BYTES = 1024 * 1024;

export interface ApiGet {
  readonly provider: { readonly id: ProviderId; readonly label: string };
  readonly url: string;
  readonly accessToken: string;
  /** What is being read, for messages: `user info`, `email addresses`. */
  readonly what: string;
  readonly signal: AbortSignal;
  readonly headers?: Readonly<Record<string, string>>;
}

export type ApiAnswer = { readonly ok: true; readonly json: unknown } | { readonly ok: false; readonly status: number };

/**
 * GETs a provider API with the access token. Non-2xx answers come back as `{ok: false, status}`
 * for the caller to judge (GitHub's /user/emails may be refused where /user is not); a network
 * failure, a timeout or a body that is not JSON is a 502 naming the provider.
 */
export async function apiGet(request: ApiGet): Promise<ApiAnswer> {
  const { provider, what } = request;
  let response: Response;
  try {
    response = await fetch(request.url, {
      headers: { accept: 'application/json', 'user-agent': 'nexus-oauth', ...request.headers, authorization: `Bearer ${request.accessToken}` },
      signal: request.signal,
      redirect: 'error',
    });
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? 'it did not answer in time' : printable((error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message);
    throw userInfoFailed(provider, `could not read the ${what} from ${provider.label} (${reason})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    return { ok: false, status: response.status };
  }
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw userInfoFailed(provider, `${provider.label} sent ${declared} bytes of ${what}, more than the ${MAX_ANSWER_BYTES} accepted`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw userInfoFailed(provider, `the ${what} from ${provider.label} did not arrive whole (${printable((error as Error).message)})`);
  }
  if (text.length > MAX_ANSWER_BYTES) throw userInfoFailed(provider, `${provider.label} sent more ${what} than the ${MAX_ANSWER_BYTES} bytes accepted`);
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    throw userInfoFailed(provider, `the ${what} from ${provider.label} is not JSON`);
  }
}

export function userInfoFailed(provider: { readonly id: ProviderId }, message: string): HttpError {
  return new HttpError(502, 'userinfo_failed', `${message} (provider ${provider.id})`);
}
