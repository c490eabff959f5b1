import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent, type ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { classifyDeliveryError } from '@nexus/plugin-sdk/channel';

/** What the agent saw of one attempt's request, read after it failed. */
interface AttemptTrace {
  /** The request went out on a kept-alive socket that broke before any answer came back. */
  brokeOnReusedSocket: boolean;
}

const attempts = new AsyncLocalStorage<AttemptTrace>();

/** Failures that happen before a connection exists: nothing was sent. */
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN']);
/** How a socket the server closed shows when a request is written to it. */
const BROKEN_SOCKET_CODES = new Set(['ECONNRESET', 'EPIPE']);

type AddRequest = (req: ClientRequest, ...rest: unknown[]) => void;

/**
 * Marks, for the attempt running in `attempts`, a request that broke on a reused keep-alive
 * socket before any response. That is the race Node documents under `request.reusedSocket`: the
 * server closed the idle socket just as the request was written, so it never read the request.
 * node-fetch (grammY's fetch) drops the socket error's details, so the agent records it on the side.
 */
function traceReusedSockets<A extends HttpAgent>(agent: A): A {
  const addRequest = (agent as unknown as { addRequest: AddRequest }).addRequest.bind(agent);
  (agent as unknown as { addRequest: AddRequest }).addRequest = (req, ...rest) => {
    const trace = attempts.getStore();
    if (trace) {
      let answered = false;
      req.once('response', () => (answered = true));
      req.once('error', (error: NodeJS.ErrnoException) => {
        if (!answered && req.reusedSocket && BROKEN_SOCKET_CODES.has(error.code ?? '')) trace.brokeOnReusedSocket = true;
      });
    }
    addRequest(req, ...rest);
  };
  return agent;
}

/** The keep-alive agent for the Bot API at `apiRoot` (what grammY would use), tracing reused sockets. */
export function createApiAgent(apiRoot: string): HttpAgent {
  return traceReusedSockets(apiRoot.startsWith('https:') ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true }));
}

/** How a failed attempt may be retried. */
export type ConnectionFailure =
  /** The request certainly did not reach the server: any call may be sent again. */
  | 'unsent'
  /** It may have reached the server (a timeout or reset after it was written): only idempotent calls may be. */
  | 'ambiguous'
  /** Not a connection failure (an API answer, a cancellation): not this module's business. */
  | 'other';

/** Runs one attempt and, when it throws, says whether the request can have reached the server. */
export async function attemptCall<T>(call: () => Promise<T>): Promise<{ readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown; readonly failure: ConnectionFailure }> {
  const trace: AttemptTrace = { brokeOnReusedSocket: false };
  try {
    return { ok: true, value: await attempts.run(trace, call) };
  } catch (error) {
    return { ok: false, error, failure: connectionFailure(error, trace) };
  }
}

function connectionFailure(error: unknown, trace: AttemptTrace): ConnectionFailure {
  const verdict = classifyDeliveryError(error);
  if (verdict.kind !== 'transient' || verdict.status !== undefined) return 'other';
  if (verdict.code !== undefined && CONNECT_CODES.has(verdict.code)) return 'unsent';
  if (trace.brokeOnReusedSocket) return 'unsent';
  return 'ambiguous';
}
