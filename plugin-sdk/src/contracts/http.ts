import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from './auth.js';
import { createToken } from './tokens.js';

/**
 * Who may call a route: anyone; a caller with a credential the server checks through the
 * `CredentialVerifier` (`token`); or a caller whose request signature the route checks itself.
 */
export type HttpAuthPolicy = 'public' | 'token' | 'signature';

/** One request, as a route sees it: the body is already read, within the server's size limit. */
export interface HttpRequest {
  readonly method: string;
  /** The full path, normalised (`..` and `.` segments resolved), still percent-encoded. */
  readonly path: string;
  /** The part of `path` below the route's prefix: `''` or starting with `/`. */
  readonly subpath: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The raw body bytes, exactly as sent (signature checks need them untouched). */
  readonly body: Uint8Array;
  /** The verified caller, on `token` routes. */
  readonly principal?: Principal;
  readonly remoteAddress?: string;
  /** Aborted once the request is over: answered, timed out, abandoned by the client, or cut at shutdown. */
  readonly signal: AbortSignal;
}

/**
 * What a route answers. Give `json` for a JSON body (the server serialises it), raw `body`, or a
 * `stream` whose chunks are written as they come (server-sent events, a long download).
 *
 * A stream's headers go out at once, and the request deadline (`request_timeout_ms`) stops
 * applying from then on: the response ends when the stream closes. When the client goes away or
 * the server shuts down, the server cancels the stream (its source's `cancel` runs) and aborts
 * the request's `signal`. An error from the stream cuts the connection (the status already went out).
 */
export type HttpResponse =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly json: unknown }
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string | Uint8Array }
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly stream: ReadableStream<Uint8Array | string> };

/** A route's entry in `contributes.httpRoutes`: the static facts the server enforces. */
export interface HttpRouteDeclaration {
  /** Where it is mounted; also the name the route is bound under. */
  readonly prefix: string;
  readonly auth: HttpAuthPolicy;
  readonly description?: string;
}

/**
 * A route a plugin mounts under the prefix its manifest declares (`contributes.httpRoutes`); the
 * contribution's name is that prefix. There are no catch-all handlers: the server dispatches a
 * path only to the longest declared prefix it lies under (on a segment boundary), and enforces
 * the manifest's `auth` before `handle` runs, without loading the plugin for a refused caller.
 *
 * An object that still states `prefix` or `auth` (older plugins did) must state exactly what the
 * manifest does; any difference is a contract error (`plugin.contract-mismatch`) that fails the
 * plugin, so the route is never served under a policy the operator was not shown.
 */
export interface HttpRoute {
  handle(request: HttpRequest): Promise<HttpResponse>;
}

export const HttpRoutes = createToken<HttpRoute>('nexus.contrib.http-routes');

/**
 * A failure a route wants the caller to see. The server answers `status` with
 * `{"error":{"code","message"}}`; any other error becomes a 500 whose details stay in the log.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    /** A stable, machine-readable code such as `bad_signature`. */
    readonly code: string,
    message: string,
    /** Extra response headers, e.g. `allow` on a 405 or `retry-after` on a 503. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpServerAddress {
  readonly host: string;
  readonly port: number;
  /** `http://host:port`, with IPv6 hosts bracketed. */
  readonly url: string;
}

/** The running HTTP server (the `http` plugin). */
export interface HttpServer {
  /** Where it listens, once started; `undefined` before `listen` finished or after close. */
  address(): HttpServerAddress | undefined;
}

export const HttpServerToken = createToken<HttpServer>('nexus.http.server');
