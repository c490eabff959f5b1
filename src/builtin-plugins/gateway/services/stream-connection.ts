import { Metadata, status, type ServerDuplexStream } from '@grpc/grpc-js';
import { isAgentRecordId, isStoreUnavailable, STORE_LIMITS, type Clock, type Logger, type Principal, type Session } from '@nexus/plugin-sdk';
import { API_CHANNEL, authorize } from '../auth/access-policy.js';
import { GrpcStatusError } from '../grpc/status-error.js';
import { ChunkType, type ClientMessage, type SendMessageRequest, type ServerMessage } from '../generated/nexus/v1/gateway.js';
import { isMessageDropped, PipelineClosedError, type CallerHandle, type MessagePipeline, type TurnEvent, type TurnListener } from '../pipeline/index.js';
import { fromProtoAttachments, toProtoMessage } from './message-values.js';
import type { StoreAccess } from './store-access.js';

/** A refusal the stream reports with its own code. */
class StreamError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'StreamError';
  }
}

export interface StreamDeps {
  readonly pipeline: MessagePipeline;
  readonly stores: StoreAccess;
  readonly defaultAgentId: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * One `NexusGateway.Stream` call. Each `send_message` runs a turn and streams it back (chunks in
 * sequence, then `message_complete` with the stored reply); `subscribe` adds other sessions'
 * turns. Only a failure that ends a turn is reported, as `error_notification` with a stable code;
 * the stream itself stays open. The client cancelling (or hanging up) cancels its turns.
 *
 * `subscribe`, `unsubscribe` and `ping` take effect in the order they were sent, so a `pong`
 * tells the client that every subscription it asked for before the ping is in place (there is no
 * other acknowledgement). `send_message` is not queued behind them: turns run concurrently.
 */
export class StreamConnection {
  /**
   * Cancels every turn of this call when the client cancels or hangs up. One for the call rather
   * than one per turn: hanging up ends them all alike, and a signal per turn was a measurable
   * share of a turn. Each running turn listens on it, and a client may run many at once.
   */
  private readonly hungUp: CallerHandle;
  private readonly running = new Set<Promise<void>>();
  private readonly subscriptions = new Map<string, () => void>();
  /** Turns this call started: subscribers skip them, the caller already sees them. */
  private readonly ownTurns = new Set<string>();
  /** The control messages (subscribe, unsubscribe, ping) applied so far, in order. */
  private control: Promise<void> = Promise.resolve();
  private onClosed: () => void = () => undefined;

  constructor(
    private readonly call: ServerDuplexStream<ClientMessage, ServerMessage>,
    private readonly principal: Principal,
    private readonly deps: StreamDeps,
  ) {
    this.hungUp = deps.pipeline.openCaller();
  }

  /** Starts serving the call; `onClosed` runs once it is over, however it ended (maybe more than once). */
  serve(onClosed: () => void): void {
    this.onClosed = onClosed;
    this.call.on('data', (message: ClientMessage) => this.receive(message));
    this.call.on('end', () => void Promise.allSettled([...this.running]).then(() => this.finish()));
    this.call.on('cancelled', () => this.hangUp());
    this.call.on('error', () => this.hangUp());
    this.call.on('close', onClosed);
  }

  /**
   * The gateway is stopping and its turns are over: ends the call with UNAVAILABLE, after what
   * was already written, so the client knows to reconnect (to another instance, or after the
   * restart) rather than wait on a stream nothing will use again.
   */
  shutDown(): void {
    if (this.call.cancelled || this.call.destroyed || this.call.writableEnded) return;
    const details = 'the gateway is shutting down; reconnect to continue (sessions are kept)';
    this.call.emit('error', Object.assign(new Error(details), { code: status.UNAVAILABLE, details, metadata: new Metadata() }));
  }

  private receive(message: ClientMessage): void {
    const payload = message.payload;
    switch (payload?.$case) {
      case 'sendMessage': {
        const work = this.send(payload.value).catch((error: unknown) => this.deps.logger.error('stream turn failed', { error: (error as Error).message }));
        this.running.add(work);
        void work.then(() => this.running.delete(work));
        return;
      }
      case 'subscribe': {
        const ids = payload.value.sessionIds;
        this.inOrder(async () => {
          for (const id of ids) await this.subscribe(id);
        });
        return;
      }
      case 'unsubscribe': {
        const ids = payload.value.sessionIds;
        this.inOrder(() => {
          for (const id of ids) this.unsubscribe(id);
        });
        return;
      }
      case 'ping':
        this.inOrder(() => this.write({ payload: { $case: 'pong', value: { timestamp: new Date(this.deps.clock.now()) } } }));
        return;
      default:
        this.error('invalid_argument', 'the message has no payload; send one of send_message, subscribe, unsubscribe, ping');
    }
  }

  private async send(request: SendMessageRequest): Promise<void> {
    if (request.content.trim() === '' && request.attachments.length === 0) {
      this.error('invalid_argument', 'send_message needs content or attachments', request.sessionId);
      return;
    }
    const bytes = Buffer.byteLength(request.content, 'utf8');
    if (bytes > STORE_LIMITS.messageContentBytes) {
      this.error('resource_exhausted', `the message is ${bytes} bytes; the limit is ${STORE_LIMITS.messageContentBytes} bytes of content`, request.sessionId);
      return;
    }
    // Said before looking the session up: while draining, the stores may already be going away.
    if (!this.deps.pipeline.accepting) {
      this.error('unavailable', new PipelineClosedError().message, request.sessionId);
      return;
    }
    let session: Session;
    try {
      session = await this.session(request.sessionId);
    } catch (error) {
      this.sessionError(error, request.sessionId, request.sessionId === '' ? 'name a session with session_id' : 'omit session_id to continue your own session');
      return;
    }
    try {
      // Turns with a stored agent run with its system prompt: only those who may use it send into its sessions.
      if (isAgentRecordId(session.agentId)) authorize(this.principal, 'agent.use', { agent: await (await this.deps.stores.agents()).get(session.agentId) });
    } catch (error) {
      // An agent deleted since leaves the turn with the configured prompt; the runtime says so.
      if ((error as { code?: unknown }).code !== 'not_found') {
        this.sessionError(error, session.id, 'ask its owner to share it, or use a session of your own');
        return;
      }
    }

    let sequence = 0;
    const nextSequence = () => sequence++;
    const listener: TurnListener = (event) => {
      if (event.type === 'started') this.ownTurns.add(event.turnId);
      const message = toServerMessage(event, nextSequence);
      if (message) this.write(message);
    };
    try {
      await this.deps.pipeline.submit(
        {
          session,
          channel: API_CHANNEL,
          accountId: this.principal.userId,
          content: request.content,
          attachments: fromProtoAttachments(request.attachments),
          metadata: { ...request.metadata },
          signal: this.hungUp.signal,
        },
        listener,
      );
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'validation') this.error('invalid_argument', (error as Error).message, session.id);
      else if (isMessageDropped(error)) this.error('message_dropped', error.message, session.id);
      else if (isUnavailable(error)) this.error('unavailable', (error as Error).message, session.id);
      else {
        // Whatever else broke is ours to fix: its words (a driver's, say) stay in the log.
        this.deps.logger.error('a turn failed unexpectedly', { sessionId: session.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        this.error('internal', 'the turn failed with an internal error; the gateway log has the details', session.id);
      }
    }
  }

  /** The named session, or the caller's own API session (`<default agent>:api:<user id>`), if the caller may send into it. */
  private async session(sessionId: string): Promise<Session> {
    if (sessionId !== '') {
      const session = await (await this.deps.stores.sessions()).get(sessionId);
      authorize(this.principal, 'session.send', { session });
      return session;
    }
    const own = await this.deps.pipeline.resolveSession(this.deps.defaultAgentId, API_CHANNEL, this.principal.userId, { ownerId: this.principal.userId });
    try {
      authorize(this.principal, 'session.send', { session: own });
    } catch {
      // Its key is the caller's own, so saying it exists leaks nothing.
      throw new StreamError(
        'permission_denied',
        `your session ${own.key} belongs to ${own.ownerId === undefined ? 'the system (it was stored before sessions had owners)' : 'another user'}; an admin can hand it to you (UpdateSession owner_id)`,
      );
    }
    return own;
  }

  private async subscribe(sessionId: string): Promise<void> {
    if (this.subscriptions.has(sessionId)) return;
    try {
      const session = await (await this.deps.stores.sessions()).get(sessionId);
      authorize(this.principal, 'session.subscribe', { session });
    } catch (error) {
      this.sessionError(error, sessionId, 'cannot subscribe to it');
      return;
    }
    const sequences = new Map<string, number>();
    const unsubscribe = this.deps.pipeline.subscribe(sessionId, (event) => {
      if (this.ownTurns.has(event.turnId)) return;
      const next = () => {
        const n = sequences.get(event.turnId) ?? 0;
        sequences.set(event.turnId, n + 1);
        return n;
      };
      const message = toServerMessage(event, next);
      if (message) this.write(message);
      if (event.type === 'finished') sequences.delete(event.turnId);
    });
    this.subscriptions.set(sessionId, unsubscribe);
  }

  private unsubscribe(sessionId: string): void {
    this.subscriptions.get(sessionId)?.();
    this.subscriptions.delete(sessionId);
  }

  /** Runs `step` after the control messages received before it; a failing step is logged, and later ones still run. */
  private inOrder(step: () => void | Promise<void>): void {
    this.control = this.control.then(step).catch((error: unknown) => this.deps.logger.error('stream control message failed', { error: (error as Error).message }));
  }

  /** Why a named session cannot be used: not found (or not the caller's), a malformed id, an agent the caller may not use, or the store being unavailable. */
  private sessionError(error: unknown, sessionId: string, hint: string): void {
    const code = (error as { code?: unknown }).code;
    if (error instanceof StreamError) this.error(error.code, `${error.message}; ${hint}`, sessionId);
    else if (code === 'not_found' || code === status.NOT_FOUND) this.error('session_not_found', `session "${sessionId}" not found; ${hint}`, sessionId);
    else if (code === status.PERMISSION_DENIED) this.error('permission_denied', `${(error as Error).message}; ${hint}`, sessionId);
    else if (code === 'validation') this.error('invalid_argument', `session_id "${sessionId}" is not a session id (${(error as Error).message}); ${hint}`, sessionId);
    else if (isUnavailable(error)) this.error('unavailable', (error as Error).message, sessionId);
    else {
      this.deps.logger.error('looking up a session failed unexpectedly', { sessionId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      this.error('unavailable', 'the session cannot be read right now; the gateway log has the details', sessionId);
    }
  }

  private error(code: string, message: string, sessionId = '', messageId = ''): void {
    this.write({ payload: { $case: 'errorNotification', value: { code, message, details: '', sessionId, messageId } } });
  }

  private write(message: ServerMessage): void {
    if (this.call.cancelled || this.call.destroyed) return;
    this.call.write(message);
  }

  private hangUp(): void {
    this.hungUp.cancel(new Error('the client cancelled the stream'));
    this.finish();
  }

  private finish(): void {
    this.hungUp.close();
    for (const unsubscribe of this.subscriptions.values()) unsubscribe();
    this.subscriptions.clear();
    if (!this.call.cancelled && !this.call.destroyed && !this.call.writableEnded) this.call.end();
    this.onClosed();
  }
}

/**
 * A failure whose message is written for callers: the store or the pipeline saying it cannot serve
 * right now, or the gateway's own UNAVAILABLE (no storage plugin). Anything else may carry a
 * driver's words and is reported without them.
 */
function isUnavailable(error: unknown): boolean {
  return isStoreUnavailable(error) || (error instanceof GrpcStatusError && error.code === status.UNAVAILABLE);
}

/** What the client sees of a turn. Attempts, retries and failovers are not errors and are not sent. */
function toServerMessage(event: TurnEvent, nextSequence: () => number): ServerMessage | undefined {
  // Each turn event is at most one server message. Built field by field: object spreads here
  // were a measurable share of a turn's cost.
  const messageId = event.turnId;
  const sessionId = event.sessionId;
  if (event.type === 'agent') {
    const agent = event.event;
    switch (agent.type) {
      case 'text_delta':
        return { payload: { $case: 'messageChunk', value: { messageId, sessionId, content: agent.text, sequence: nextSequence(), type: ChunkType.CHUNK_TYPE_TEXT } } };
      case 'tool_call':
        return { payload: { $case: 'toolCallRequest', value: { messageId, sessionId, toolCall: { id: agent.call.id, name: agent.call.name, input: JSON.stringify(agent.call.input ?? null) } } } };
      case 'tool_result':
        return { payload: { $case: 'toolResultNotification', value: { messageId, sessionId, toolResult: { toolCallId: agent.callId, content: agent.content, isError: agent.isError } } } };
      default:
        return undefined;
    }
  }
  if (event.type === 'finished') {
    const { outcome } = event;
    if (outcome.status === 'done') {
      const message = outcome.reply ? toProtoMessage(outcome.reply, API_CHANNEL, '') : undefined;
      return { payload: { $case: 'messageComplete', value: { messageId, sessionId, message } } };
    }
    return { payload: { $case: 'errorNotification', value: { messageId, sessionId, code: outcome.code, message: outcome.message, details: outcome.status } } };
  }
  return undefined;
}
