import type { ServerDuplexStream } from '@grpc/grpc-js';
import { NexusGatewayService, ServerMessage, type ClientMessage, type NexusGatewayServer } from '../generated/nexus/v1/gateway.js';
import type { CallAuth } from '../grpc/call-auth.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import { reusedWriterSerializer } from '../grpc/reused-writer.js';
import { toStatus } from '../grpc/status-error.js';
import { StreamConnection, type StreamDeps } from './stream-connection.js';

/**
 * The Stream calls being served. A client may keep a stream open with nothing running on it, so
 * shutdown ends them itself once turns are over; otherwise the server would wait out its grace
 * period on calls that never finish by themselves.
 */
export class OpenStreams {
  private readonly open = new Set<StreamConnection>();

  add(connection: StreamConnection): () => void {
    this.open.add(connection);
    return () => this.open.delete(connection);
  }

  /** Ends every open stream with UNAVAILABLE (see `StreamConnection.shutDown`). */
  shutDown(): void {
    for (const connection of [...this.open]) connection.shutDown();
  }
}

/** `NexusGateway.Stream`: one `StreamConnection` per call, for the authenticated caller. */
export function gatewayStreamService(auth: CallAuth, deps: StreamDeps, streams: OpenStreams): ServiceRegistration {
  const implementation: NexusGatewayServer = {
    stream(call: ServerDuplexStream<ClientMessage, ServerMessage>) {
      try {
        const connection = new StreamConnection(call, auth.principal(call.metadata), deps);
        connection.serve(streams.add(connection));
      } catch (error) {
        call.emit('error', toStatus(error, deps.logger, '/nexus.v1.NexusGateway/Stream'));
      }
    },
  };
  // Every turn writes its chunks and message_complete through this serializer (reused-writer.ts).
  const definition = { ...NexusGatewayService, stream: { ...NexusGatewayService.stream, responseSerialize: reusedWriterSerializer(ServerMessage) } };
  return { name: 'nexus.v1.NexusGateway', definition, implementation };
}
