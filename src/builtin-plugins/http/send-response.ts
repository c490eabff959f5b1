import type { ServerResponse } from 'node:http';
import type { HttpResponse } from '@nexus/plugin-sdk';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Writes a route's answer. Returns false when a response already went out (the request timed
 * out first), so the late answer is dropped rather than corrupting the connection.
 */
export function sendResponse(response: ServerResponse, answer: HttpResponse, options: { readonly close?: boolean } = {}): boolean {
  if (response.headersSent || response.writableEnded || response.destroyed) return false;
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', ...lowercase(answer.headers ?? {}) };
  let body: string | Uint8Array | undefined;
  if ('json' in answer) {
    body = JSON.stringify(answer.json);
    headers['content-type'] ??= JSON_TYPE;
  } else {
    body = answer.body;
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  if (options.close) headers.connection = 'close';
  response.writeHead(answer.status, headers);
  response.end(body);
  return true;
}

/** `{"error":{"code","message"}}`, the shape of every error the server or a route reports. */
export function errorResponse(status: number, code: string, message: string, headers: Readonly<Record<string, string>> = {}): HttpResponse {
  return { status, headers: { 'cache-control': 'no-store', ...headers }, json: { error: { code, message } } };
}

function lowercase(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
