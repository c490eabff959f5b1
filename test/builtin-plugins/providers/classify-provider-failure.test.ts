import { describe, expect, it } from 'vitest';
import {
  classifyProviderFailure,
  isRetryableReason,
  PROVIDER_FAILURE_REASONS,
  ProviderError,
  retryAfterMsFromHeaders,
  shouldFailoverReason,
  type ProviderFailureReason,
  type ProviderFailureSignals,
} from '@nexus/plugin-sdk';

describe('classifyProviderFailure', () => {
  const table: readonly (readonly [string, ProviderFailureSignals, ProviderFailureReason])[] = [
    ['401', { status: 401 }, 'auth'],
    ['403', { status: 403 }, 'auth'],
    ['402', { status: 402 }, 'billing'],
    ['404', { status: 404 }, 'model_unavailable'],
    ['408', { status: 408 }, 'timeout'],
    ['429', { status: 429 }, 'rate_limit'],
    ['400', { status: 400 }, 'invalid_request'],
    ['413', { status: 413, type: 'request_too_large' }, 'invalid_request'],
    ['500', { status: 500 }, 'server_error'],
    ['503', { status: 503 }, 'server_error'],
    ['529 overloaded', { status: 529, type: 'overloaded_error' }, 'server_error'],
    ['an unlisted status', { status: 418 }, 'unknown'],
    ['insufficient_quota on a 429 is billing, not a rate limit', { status: 429, code: 'insufficient_quota', type: 'insufficient_quota' }, 'billing'],
    ['rate_limit_exceeded with OpenAI type "requests"', { status: 429, code: 'rate_limit_exceeded', type: 'requests' }, 'rate_limit'],
    ['invalid_api_key beside a generic invalid_request_error type', { status: 401, code: 'invalid_api_key', type: 'invalid_request_error' }, 'auth'],
    ['model_not_found even on a 400', { status: 400, code: 'model_not_found' }, 'model_unavailable'],
    ['context_length_exceeded', { status: 400, code: 'context_length_exceeded', type: 'invalid_request_error' }, 'context_length'],
    ['Anthropic "prompt is too long"', { status: 400, type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' }, 'context_length'],
    ['"maximum context length" in an OpenAI-compatible message', { status: 400, message: "This model's maximum context length is 8192 tokens" }, 'context_length'],
    ['content_policy_violation', { status: 400, code: 'content_policy_violation' }, 'content_filter'],
    ['an in-stream overloaded_error without status', { type: 'overloaded_error', message: 'Overloaded' }, 'server_error'],
    ['an in-stream api_error without status', { type: 'api_error', message: 'Internal server error' }, 'server_error'],
    ['an in-stream OpenAI server_error without status', { type: 'server_error', message: 'The server had an error' }, 'server_error'],
    ['a generic invalid_request_error without status', { type: 'invalid_request_error', message: 'messages: field required' }, 'invalid_request'],
    ['OpenRouter numeric code 402', { status: 402, code: '402', message: 'Insufficient credits' }, 'billing'],
    ['text: deadline exceeded', { message: 'context deadline exceeded' }, 'timeout'],
    ['text: ETIMEDOUT', { message: 'connect ETIMEDOUT 10.0.0.1:443' }, 'timeout'],
    ['text: too many requests', { message: 'Too Many Requests' }, 'rate_limit'],
    ['text: invalid api key', { message: 'Invalid API Key' }, 'auth'],
    ['text: quota', { message: 'You exceeded your current quota' }, 'billing'],
    ['text: content filter', { message: 'blocked by the content filter' }, 'content_filter'],
    ['text: ECONNREFUSED', { message: 'connect ECONNREFUSED 127.0.0.1:11434' }, 'network'],
    ['text: socket hang up', { message: 'socket hang up' }, 'network'],
    ['text: "service unavailable" is a server error (the Go original said model_unavailable)', { message: '503 Service Unavailable' }, 'server_error'],
    ['text: "temporarily unavailable" is a server error', { message: 'The service is temporarily unavailable' }, 'server_error'],
    ['text: bad gateway', { message: 'Bad Gateway' }, 'server_error'],
    ['text: model not found', { message: 'model "llama9" not found, try pulling it first' }, 'model_unavailable'],
    ['text: model does not exist', { message: 'The model `gpt-5x` does not exist' }, 'model_unavailable'],
    ['text: nothing recognisable', { message: 'something odd happened' }, 'unknown'],
    ['nothing at all', {}, 'unknown'],
  ];

  it.each(table)('classifies %s', (_name, signals, reason) => {
    expect(classifyProviderFailure(signals)).toBe(reason);
  });
});

describe('retry and failover predicates', () => {
  it('retries only transient reasons and fails over only on auth, billing and model_unavailable', () => {
    const retryable = PROVIDER_FAILURE_REASONS.filter(isRetryableReason);
    const failover = PROVIDER_FAILURE_REASONS.filter(shouldFailoverReason);
    expect(retryable).toEqual(['rate_limit', 'timeout', 'server_error', 'network']);
    expect(failover).toEqual(['billing', 'auth', 'model_unavailable']);
  });
});

describe('retryAfterMsFromHeaders', () => {
  const headers = (values: Record<string, string>) => (name: string) => values[name];

  it('prefers retry-after-ms, then reads retry-after as seconds or an HTTP date', () => {
    expect(retryAfterMsFromHeaders(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterMsFromHeaders(headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMsFromHeaders(headers({ 'retry-after': '0.5' }))).toBe(500);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMsFromHeaders(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30_000);
  });

  it('returns undefined for missing or unreadable headers, and never a negative wait', () => {
    expect(retryAfterMsFromHeaders(headers({}))).toBeUndefined();
    expect(retryAfterMsFromHeaders(headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMsFromHeaders(headers({ 'retry-after-ms': '-5' }))).toBeUndefined();
    const now = Date.parse('2025-01-01T00:01:00Z');
    expect(retryAfterMsFromHeaders(headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(0);
  });
});

describe('ProviderError', () => {
  it('prints reason, provider, model, status, code, message and request id', () => {
    const error = new ProviderError({ reason: 'rate_limit', provider: 'openai', model: 'gpt-4o', status: 429, code: 'rate_limit_exceeded', message: 'slow down', requestId: 'req_1' });
    expect(String(error)).toBe('[rate_limit] openai model=gpt-4o status=429 code=rate_limit_exceeded: slow down (request req_1)');
  });
});
