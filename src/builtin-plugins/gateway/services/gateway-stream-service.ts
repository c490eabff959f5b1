import type { ServerDuplexStream } from '@grpc/grpc-js';
import { NexusGatewayService, type ClientMessage, type NexusGatewayServer, type ServerMessage } from '../generated/nexus/v1/gateway.js';
import type { CallAuth } from '../grpc/call-auth.js';
import type { ServiceRegistration } from '../grpc/grpc-server.js';
import { toStatus } from '../grpc/status-error.js';
import { StreamConnection, type StreamDeps } from './stream-connection.js';

/** `NexusGateway.Stream`: one `StreamConnection` per call, for the authenticated caller. */
export function gatewayStreamService(auth: CallAuth, deps: StreamDeps): ServiceRegistration {
  const implementation: NexusGatewayServer = {
    stream(call: ServerDuplexStream<ClientMessage, ServerMessage>) {
      try {
        new StreamConnection(call, auth.principal(call.metadata), deps).serve();
      } catch (error) {
        call.emit('error', toStatus(error, deps.logger, '/nexus.v1.NexusGateway/Stream'));
      }
    },
  };
  return { name: 'nexus.v1.NexusGateway', definition: NexusGatewayService, implementation };
}
