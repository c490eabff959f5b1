import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { HttpError, type HttpResponse, type HttpServer, type HttpServerAddress } from '@nexus/plugin-sdk';
import { dispatch, toErrorResponse, type DispatchDeps } from './dispatch.js';
import type { HttpSettings } from './http-settings.js';
import { errorResponse, sendResponse } from './send-response.js';
import { discardStream } from './stream-response.js';

export interface RouteServerDeps extends Omit<DispatchDeps, 'maxBodyBytes' | 'allowUnauthenticated' | 'ownRoutes'> {
  readonly settings: HttpSettings;
  /** The http plugin's id: its own routes follow `auth.public_health`. */
  readonly pluginId: string;
}

/**
 * node:http serving the contributed routes. Every request gets a deadline and an AbortSignal;
 * whatever happens inside a route, the caller gets a JSON answer and the process keeps serving.
 */
export class RouteServer implements HttpServer {
  private server: Server | undefined;
  private bound: HttpServerAddress | undefined;
  /** One controller per request in flight, so shutdown can tell routes to stop. */
  private readonly inFlight = new Set<AbortController>();

  constructor(private readonly deps: RouteServerDeps) {}

  address(): HttpServerAddress | undefined {
    return this.bound;
  }

  async listen(): Promise<HttpServerAddress> {
    const { host, port, request_timeout_ms } = this.deps.settings;
    const server = createServer((request, response) => this.onRequest(request, response));
    // Node's own limits are a backstop behind ours, which answer in JSON.
    server.requestTimeout = request_timeout_ms + 5_000;
    server.headersTimeout = Math.min(60_000, server.requestTimeout);
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => rejectMalformed(error, socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
      server.listen(port, host, () => resolve());
    });
    server.removeAllListeners('error');
    server.on('error', (error) => this.deps.logger.error(`http server error: ${error.message}`, { err: error }));
    this.server = server;
    const info = server.address() as AddressInfo;
    const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
    this.bound = { host: info.address, port: info.port, url: `http://${shown}:${info.port}` };
    return this.bound;
  }

  /** Stops accepting, lets requests in flight finish within the grace period, then cuts the rest. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.bound = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const cutoff = setTimeout(() => {
      for (const controller of this.inFlight) controller.abort(new Error('the server is shutting down'));
      server.closeAllConnections();
    }, this.deps.settings.shutdown_grace_ms);
    await closed;
    clearTimeout(cutoff);
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const started = performance.now();
    const controller = new AbortController();
    this.inFlight.add(controller);
    const timeoutMs = this.deps.settings.request_timeout_ms;
    const timer = setTimeout(() => {
      const timeout = new HttpError(408, 'request_timeout', `the request took longer than ${timeoutMs} ms`);
      sendResponse(response, errorResponse(timeout.status, timeout.code, timeout.message), { close: true });
      controller.abort(timeout);
    }, timeoutMs);
    response.once('close', () => {
      clearTimeout(timer);
      this.inFlight.delete(controller);
      if (!controller.signal.aborted) controller.abort(new Error('the client closed the connection'));
    });
    const path = (request.url ?? '/').split('?')[0]!;
    const { settings } = this.deps;
    const ownRoutes = { pluginId: this.deps.pluginId, needToken: !settings.publicHealth };
    dispatch(request, { ...this.deps, maxBodyBytes: settings.max_body_bytes, allowUnauthenticated: settings.allowUnauthenticated, ownRoutes }, controller.signal)
      .catch((error: unknown) => toErrorResponse(error, this.deps.logger, path))
      .then((answer) => {
        // The deadline is for getting an answer; a stream that started is one, and ends when its source does.
        if ('stream' in answer && !response.headersSent) clearTimeout(timer);
        this.respond(request, response, answer, path);
        this.deps.logger.debug('http request', { method: request.method, path, status: response.statusCode, ms: Math.round(performance.now() - started) });
      });
  }

  /** Sends the answer; one that cannot be sent (bad header, unserialisable JSON) becomes a 500. */
  private respond(request: IncomingMessage, response: ServerResponse, answer: HttpResponse, path: string): void {
    // A body left unread (too large, or refused before reading) must not be parsed as the next request.
    const close = !request.complete || this.server === undefined;
    try {
      const onStreamError = (error: unknown) => this.deps.logger.error(`the route's stream failed: ${(error as Error)?.message ?? String(error)}`, { path, err: error });
      if (!sendResponse(response, answer, { close, onStreamError })) this.deps.logger.debug('route answered after its request timed out; answer dropped', { path });
    } catch (error) {
      this.deps.logger.error(`the route's response could not be sent: ${(error as Error).message}`, { path, err: error });
      if ('stream' in answer) discardStream(answer.stream);
      try {
        sendResponse(response, errorResponse(500, 'internal', `the server failed to handle ${path}; the server log has details`), { close: true });
      } catch {
        response.destroy();
      }
    }
  }
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return new Error(`cannot listen on ${where}: the address is already in use; set server.http_port to a free port (0 picks one) or stop the other process`);
    case 'EACCES':
      return new Error(`cannot listen on ${where}: permission denied; ports below 1024 need privileges, so pick a higher server.http_port`);
    case 'EADDRNOTAVAIL':
      return new Error(`cannot listen on ${where}: ${host} is not an address of this machine; check server.host`);
    default:
      return new Error(`cannot listen on ${where}: ${error.message}`);
  }
}

/** Malformed HTTP gets a JSON 400 (or 408 for a stalled header) before the socket closes. */
function rejectMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const timedOut = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const status = timedOut ? '408 Request Timeout' : '400 Bad Request';
  const body = JSON.stringify({ error: { code: timedOut ? 'request_timeout' : 'bad_request', message: timedOut ? 'the request took too long to arrive' : 'the request is not valid HTTP' } });
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}
