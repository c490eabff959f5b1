import { DiscordAPIError, HTTPError, RateLimitError } from '@discordjs/rest';
import { WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError } from '@slack/web-api';
import { GrammyError, HttpError } from 'grammy';
import { describe, expect, it } from 'vitest';
import { classifyDeliveryError, retryAfterMs } from '../../../plugin-sdk/src/channel/index.js';

const grammy = (error_code: number, description: string, parameters = {}) => new GrammyError('Call failed', { ok: false, error_code, description, parameters }, 'sendMessage', {});

describe('classifyDeliveryError', () => {
  it("reads Telegram's 429 with its retry_after in seconds", () => {
    const error = grammy(429, 'Too Many Requests: retry after 7', { retry_after: 7 });
    expect(classifyDeliveryError(error)).toEqual({ kind: 'rate_limited', status: 429, retryAfterMs: 7000 });
    expect(retryAfterMs(error)).toBe(7000);
  });

  it('calls a bad token permanent and auth, a blocked chat permanent but not auth, a 5xx transient', () => {
    expect(classifyDeliveryError(grammy(401, 'Unauthorized'))).toEqual({ kind: 'permanent', auth: true, status: 401 });
    expect(classifyDeliveryError(grammy(403, 'Forbidden: bot was blocked by the user'))).toEqual({ kind: 'permanent', auth: false, status: 403 });
    expect(classifyDeliveryError(grammy(502, 'Bad Gateway'))).toEqual({ kind: 'transient', status: 502 });
  });

  it("treats grammY's network failures and fetch's socket errors as transient", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(classifyDeliveryError(new HttpError("Network request for 'getMe' failed!", refused))).toEqual({ kind: 'transient', code: 'ECONNREFUSED' });
    expect(classifyDeliveryError(new TypeError('fetch failed', { cause: refused }))).toEqual({ kind: 'transient', code: 'ECONNREFUSED' });
    expect(classifyDeliveryError(new DOMException('timed out', 'TimeoutError'))).toEqual({ kind: 'transient', code: 'timeout' });
  });

  it("reads Slack's rate limit (seconds), its auth errors and its request errors", () => {
    expect(classifyDeliveryError(new WebAPIRateLimitedError(30))).toEqual({ kind: 'rate_limited', status: 429, retryAfterMs: 30_000 });
    expect(classifyDeliveryError(new WebAPIPlatformError({ ok: false, error: 'invalid_auth' }))).toEqual({ kind: 'permanent', auth: true, code: 'invalid_auth' });
    expect(classifyDeliveryError(new WebAPIPlatformError({ ok: false, error: 'channel_not_found' }))).toEqual({ kind: 'permanent', auth: false, code: 'channel_not_found' });
    expect(classifyDeliveryError(new WebAPIRequestError(new Error('socket hang up')))).toEqual({ kind: 'transient', code: 'network' });
  });

  it("reads Discord's rate limit (ms) and API errors", () => {
    const limited = new RateLimitError({ timeToReset: 1500, limit: 5, method: 'POST', hash: 'h', url: 'u', route: '/channels/:id/messages', majorParameter: '1', global: false, retryAfter: 1500, sublimitTimeout: 0, scope: 'user' });
    expect(classifyDeliveryError(limited)).toEqual({ kind: 'rate_limited', status: 429, retryAfterMs: 1500 });
    const missingAccess = new DiscordAPIError({ code: 50001, message: 'Missing Access' }, 50001, 403, 'POST', '/channels/1/messages', {});
    expect(classifyDeliveryError(missingAccess)).toEqual({ kind: 'permanent', auth: false, status: 403 });
    expect(classifyDeliveryError(new HTTPError(503, 'Service Unavailable', 'GET', '/gateway/bot', {}))).toEqual({ kind: 'transient', status: 503 });
  });

  it('reads Retry-After headers as seconds or as an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(retryAfterMs({ status: 429, headers: { 'Retry-After': '3' } }, now)).toBe(3000);
    expect(retryAfterMs({ status: 429, headers: new Headers({ 'retry-after': new Date(now + 5000).toUTCString() }) }, now)).toBe(5000);
    expect(retryAfterMs(new Error('plain'))).toBeUndefined();
  });

  it('calls an unknown error permanent rather than retrying it forever', () => {
    expect(classifyDeliveryError(new Error('bug'))).toEqual({ kind: 'permanent', auth: false });
  });
});
