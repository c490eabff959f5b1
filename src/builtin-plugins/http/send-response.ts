import type { ServerResponse } from 'node:http';
import type { HttpResponse } from '@nexus/plugin-sdk';
import { discardStream, pipeStream } from './stream-response.js';

const JSON_TYPE = 'application/json; charset=utf-8';

export interface SendOptions {
  /** Close the connection after this response. */
  readonly close?: boolean;
  /** A streamed answer failed after its status went out. */
  readonly onStreamError?: (error: unknown) => void;
}

/**
 * Writes a route's answer; a stream is written as it comes (see `pipeStream`). Returns false when
 * a response already went out (the request timed out first), so the late answer is dropped (a
 * stream cancelled) rather than corrupting the connection.
 */
export function sendResponse(response: ServerResponse, answer: HttpResponse, options: SendOptions = {}): boolean {
  if (response.headersSent || response.writableEnded || response.destroyed) {
    if ('stream' in answer) discardStream(answer.stream);
    return false;
  }
  const headers: Record<string, string> = { 'x-content-type-options': 'nosniff', ...lowercase(answer.headers ?? {}) };
  if (options.close) headers.connection = 'close';
  if ('stream' in answer) {
    response.writeHead(answer.status, headers);
    response.flushHeaders();
    void pipeStream(response, answer.stream, options.onStreamError ?? (() => undefined));
    return true;
  }
  let body: string | Uint8Array | undefined;
  if ('json' in answer) {
    body = JSON.stringify(answer.json);
    headers['content-type'] ??= JSON_TYPE;
  } else {
    body = answer.body;
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
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
