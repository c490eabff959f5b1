import { credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { FIND_SESSIONS_HINT, isSessionIdForm } from '@nexus/plugin-sdk';
import type { Message } from '../generated/nexus/v1/common.js';
import { NexusGatewayClient, type ServerMessage } from '../generated/nexus/v1/gateway.js';
import { SessionServiceClient, type Session } from '../generated/nexus/v1/sessions.js';

/** How the client proves who it is: a JWT, an API key, or nothing (loopback without credentials). */
export type ClientCredentials = { readonly token: string } | { readonly apiKey: string } | undefined;

export interface TurnCallbacks {
  readonly onText?: (text: string) => void;
  readonly onToolCall?: (name: string) => void;
}

export type TurnResult =
  | { readonly ok: true; readonly sessionId: string; readonly reply: Message | undefined }
  | { readonly ok: false; readonly code: string; readonly message: string; readonly sessionId: string };

/** A session as the client names it to the user. */
export interface SessionName {
  readonly id: string;
  readonly key: string;
}

/**
 * A Stream client for one conversation: each `send` opens a call, sends one message, half-closes
 * and reads the turn back, so cancelling a turn (`signal`) is cancelling its call. Sessions are
 * made and looked up through the SessionService on the same channel.
 */
export class GatewayClient {
  private readonly client: NexusGatewayClient;
  private readonly sessions: SessionServiceClient;

  constructor(
    readonly address: string,
    private readonly creds: ClientCredentials,
  ) {
    this.client = new NexusGatewayClient(address, credentials.createInsecure());
    this.sessions = new SessionServiceClient(address, credentials.createInsecure(), { channelOverride: this.client.getChannel() });
  }

  /** A new session of the caller's on the `api` channel, for the conversation `channelId`. */
  createSession(channelId: string): Promise<SessionName> {
    return this.unary<Session>((done) => this.sessions.createSession({ agentId: '', channel: '', channelId, title: '', metadata: {} }, this.metadata(), done)).then(named);
  }

  /** The session named by its id or its key (`main:api:me`), as `findSession` tells them apart. */
  session(reference: string): Promise<SessionName> {
    const request = isSessionIdForm(reference) ? { id: reference.trim(), key: '' } : { id: '', key: reference };
    return this.unary<Session>((done) => this.sessions.getSession(request, this.metadata(), done)).then(named);
  }

  send(content: string, options: { readonly sessionId?: string; readonly signal?: AbortSignal } & TurnCallbacks = {}): Promise<TurnResult> {
    const call = this.client.stream(this.metadata());
    return new Promise<TurnResult>((resolve, reject) => {
      let result: TurnResult | undefined;
      const onAbort = () => call.cancel();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      call.on('data', (message: ServerMessage) => {
        const payload = message.payload;
        switch (payload?.$case) {
          case 'messageChunk':
            options.onText?.(payload.value.content);
            break;
          case 'toolCallRequest':
            options.onToolCall?.(payload.value.toolCall?.name ?? '?');
            break;
          case 'messageComplete':
            result = { ok: true, sessionId: payload.value.sessionId, reply: payload.value.message };
            break;
          case 'errorNotification':
            result = { ok: false, code: payload.value.code, message: payload.value.message, sessionId: payload.value.sessionId };
            break;
          default:
            break;
        }
      });
      call.on('error', (error: ServiceError) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (error.code === status.CANCELLED && options.signal?.aborted) resolve({ ok: false, code: 'cancelled', message: 'cancelled', sessionId: options.sessionId ?? '' });
        else reject(explain(error, this.address));
      });
      call.on('end', () => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve(result ?? { ok: false, code: 'no_reply', message: 'the gateway ended the stream without an answer', sessionId: options.sessionId ?? '' });
      });
      call.write({ payload: { $case: 'sendMessage', value: { sessionId: options.sessionId ?? '', content, attachments: [], metadata: {} } } });
      call.end();
    });
  }

  /** Closes the channel both clients share. */
  close(): void {
    this.client.close();
  }

  private metadata(): Metadata {
    const metadata = new Metadata();
    if (this.creds && 'token' in this.creds) metadata.set('authorization', `Bearer ${this.creds.token}`);
    if (this.creds && 'apiKey' in this.creds) metadata.set('x-api-key', this.creds.apiKey);
    return metadata;
  }

  private unary<R>(start: (done: (error: ServiceError | null, response: R) => void) => void): Promise<R> {
    return new Promise<R>((resolve, reject) => start((error, response) => (error ? reject(explain(error, this.address)) : resolve(response))));
  }
}

function named(session: Session): SessionName {
  return { id: session.id, key: session.key };
}

/** A call failure in terms of what to do about it. */
function explain(error: ServiceError, address: string): Error {
  switch (error.code) {
    case status.UNAVAILABLE:
      return new Error(`cannot reach the gateway at ${address} (${error.details}); start it with \`nexus serve\`, pass --address, or use --embedded`);
    case status.UNAUTHENTICATED:
      return new Error(`the gateway refused the credentials: ${error.details}; pass --api-key (or NEXUS_API_KEY) or --token (or NEXUS_TOKEN)`);
    case status.NOT_FOUND:
      return new Error(`${error.details}; ${FIND_SESSIONS_HINT}`);
    case status.RESOURCE_EXHAUSTED:
      return new Error(`the message is too large for the gateway: ${error.details}`);
    default:
      return new Error(`${status[error.code] ?? error.code}: ${error.details}`);
  }
}
