import { credentials, Metadata, type ClientDuplexStream, type ServiceError } from '@grpc/grpc-js';
import { NexusGatewayClient, type ClientMessage, type ServerMessage } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/gateway.js';
import { onCleanup } from './cleanup.js';

export interface Credentials {
  readonly bearer?: string;
  readonly apiKey?: string;
}

/** Request metadata carrying a bearer token and/or an API key. */
export function credentialsMetadata(options: Credentials = {}): Metadata {
  const metadata = new Metadata();
  if (options.bearer !== undefined) metadata.set('authorization', `Bearer ${options.bearer}`);
  if (options.apiKey !== undefined) metadata.set('x-api-key', options.apiKey);
  return metadata;
}

type Payload = NonNullable<ServerMessage['payload']>;
type PayloadKind = Payload['$case'];
type PayloadOf<K extends PayloadKind> = Extract<Payload, { $case: K }>['value'];
type TurnEnd = Extract<ServerMessage['payload'], { $case: 'messageComplete' | 'errorNotification' }>;

/**
 * One `NexusGateway.Stream` call: send messages, and wait for what the server sends back, in
 * the order it arrived. `status` settles when the call ends (undefined for a clean end).
 */
export class GatewayStream {
  readonly received: ServerMessage[] = [];
  readonly call: ClientDuplexStream<ClientMessage, ServerMessage>;
  readonly status: Promise<ServiceError | undefined>;
  private readonly client: NexusGatewayClient;
  private readonly waiters = new Set<() => void>();
  private ended = false;

  constructor(target: string, auth: Credentials = {}) {
    this.client = new NexusGatewayClient(target, credentials.createInsecure());
    this.call = this.client.stream(credentialsMetadata(auth));
    this.status = new Promise((resolve) => {
      this.call.on('error', (error: ServiceError) => resolve(error));
      this.call.on('end', () => resolve(undefined));
    });
    this.call.on('data', (message: ServerMessage) => {
      this.received.push(message);
      this.wake();
    });
    void this.status.then(() => {
      this.ended = true;
      this.wake();
    });
    onCleanup(() => this.close());
  }

  send(content: string, options: { readonly sessionId?: string; readonly metadata?: Record<string, string> } = {}): void {
    this.call.write({ payload: { $case: 'sendMessage', value: { sessionId: options.sessionId ?? '', content, attachments: [], metadata: options.metadata ?? {} } } });
  }

  subscribe(...sessionIds: string[]): void {
    this.call.write({ payload: { $case: 'subscribe', value: { sessionIds } } });
  }

  ping(): void {
    this.call.write({ payload: { $case: 'ping', value: { timestamp: new Date() } } });
  }

  /** Every payload of one kind, in arrival order. */
  all<K extends PayloadKind>(kind: K): PayloadOf<K>[] {
    const values: PayloadOf<K>[] = [];
    for (const message of this.received) if (message.payload?.$case === kind) values.push(message.payload.value as PayloadOf<K>);
    return values;
  }

  /** The first `n` turn ends (message_complete or error_notification), waiting for them. */
  async turnEnds(n: number, timeoutMs = 15_000): Promise<TurnEnd[]> {
    const ends = () => this.received.flatMap((m) => (m.payload?.$case === 'messageComplete' || m.payload?.$case === 'errorNotification' ? [m.payload] : []));
    await this.until(() => ends().length >= n, `${n} turn end(s)`, timeoutMs);
    return ends().slice(0, n);
  }

  /** Waits until `predicate` holds for what has arrived; fails if the call ends first. */
  async until(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (this.ended) throw new Error(`the stream ended before ${what} arrived; received ${JSON.stringify(this.received.map((m) => m.payload?.$case))}, status ${(await this.status)?.message ?? 'OK'}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms; received ${JSON.stringify(this.received.map((m) => m.payload))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(wake, left);
        const waiters = this.waiters;
        waiters.add(wake);
        function wake() {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        }
      });
    }
  }

  /** The concatenated text chunks of one reply, in sequence order. */
  text(messageId: string): string {
    return this.all('messageChunk')
      .filter((c) => c.messageId === messageId)
      .sort((a, b) => a.sequence - b.sequence)
      .map((c) => c.content)
      .join('');
  }

  close(): void {
    this.call.cancel();
    this.client.close();
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }
}

/** Opens a Stream call to `target` with the given credentials. */
export function openStream(target: string, auth: Credentials = {}): GatewayStream {
  return new GatewayStream(target, auth);
}
