// The cold-start baseline: a bare grpc-js server with nothing but the standard health service
// (SERVING), on the port given as the first argument. What any gRPC server in Node pays to start.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';

const server = new Server();
new HealthImplementation({ '': 'SERVING' }).addToServer(server);
server.bindAsync(`127.0.0.1:${process.argv[2]}`, ServerCredentials.createInsecure(), (error) => {
  if (error) throw error;
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
