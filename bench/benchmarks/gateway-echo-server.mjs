// The baseline server for the gateway benchmarks: bare grpc-js serving NexusGateway.Stream (our
// generated service definition) and the standard health service, in its own process like
// `nexus serve`. Each send_message is answered at once with what the gateway sends for an
// instant provider's turn, field for field: two text chunks, then message_complete carrying the
// reply as a stored message. Prints its port on stdout.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { distDir } from '../harness/paths.mjs';

const { NexusGatewayService, ChunkType } = await import(pathToFileURL(join(distDir, 'builtin-plugins/gateway/generated/nexus/v1/gateway.js')).href);
const { Direction, Role } = await import(pathToFileURL(join(distDir, 'builtin-plugins/gateway/generated/nexus/v1/common.js')).href);

function reply(sessionId) {
  const messageId = randomUUID();
  const ids = { messageId, sessionId };
  const chunk = (content, sequence) => ({ payload: { $case: 'messageChunk', value: { ...ids, content, sequence, type: ChunkType.CHUNK_TYPE_TEXT } } });
  const message = {
    id: randomUUID(),
    sessionId,
    channel: 'api',
    channelId: '',
    direction: Direction.DIRECTION_OUTBOUND,
    role: Role.ROLE_ASSISTANT,
    content: 'ok|3',
    attachments: [],
    toolCalls: [],
    toolResults: [],
    metadata: { turn_id: messageId, provider: 'instant', model: 'instant-1', usage: '{"input_tokens":1,"output_tokens":1}' },
    createdAt: new Date(),
  };
  return [chunk('ok', 0), chunk('|3', 1), { payload: { $case: 'messageComplete', value: { ...ids, message } } }];
}

const server = new Server();
server.addService(NexusGatewayService, {
  stream(call) {
    call.on('data', (message) => {
      if (message.payload?.$case !== 'sendMessage') return;
      for (const out of reply(message.payload.value.sessionId)) call.write(out);
    });
    call.on('end', () => call.end());
  },
});
new HealthImplementation({ '': 'SERVING' }).addToServer(server);
server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`${port}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
