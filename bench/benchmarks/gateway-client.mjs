// The one client both sides of the gateway benchmarks are measured with: N NexusGateway.Stream
// calls, each sending a message and waiting for its message_complete before the next, with the
// code generated from our proto (dist/). The same client drives `nexus serve` and the bare echo
// server, so what differs is only the server.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { credentials } from '@grpc/grpc-js';
import { distDir } from '../harness/paths.mjs';

const generated = (file) => import(pathToFileURL(join(distDir, 'builtin-plugins/gateway/generated/nexus/v1', file)).href);

/** The generated clients, loaded from the build. */
export async function loadClients() {
  const [{ NexusGatewayClient, ServerMessage }, { SessionServiceClient }] = await Promise.all([generated('gateway.js'), generated('sessions.js')]);
  return { NexusGatewayClient, ServerMessage, SessionServiceClient };
}

/** The message every turn sends. */
export const PROMPT = 'Hello! How are you today?';

/** Creates `count` sessions (`CreateSession`), so concurrent streams do not queue behind one session. */
export async function createSessions(clients, target, count, label) {
  const sessions = new clients.SessionServiceClient(target, credentials.createInsecure());
  try {
    const create = (i) =>
      new Promise((resolve, reject) =>
        sessions.createSession({ agentId: '', channel: '', channelId: `${label}-${i}`, title: '', metadata: {} }, (error, session) => (error ? reject(error) : resolve(session.id))),
      );
    return await Promise.all(Array.from({ length: count }, (_, i) => create(i)));
  } finally {
    sessions.close();
  }
}

/**
 * Opens one stream per session id. `turn(i)` sends on stream i and resolves with the turn's
 * wall time (ms) and its message_complete; a turn that ends otherwise rejects.
 */
export function openStreams(clients, target, sessionIds) {
  const client = new clients.NexusGatewayClient(target, credentials.createInsecure());
  const streams = sessionIds.map((sessionId) => {
    const call = client.stream();
    let pending;
    call.on('data', (message) => {
      const payload = message.payload;
      if (payload?.$case === 'messageComplete') pending?.resolve(payload.value);
      else if (payload?.$case === 'errorNotification') pending?.reject(new Error(`turn failed: ${payload.value.code}: ${payload.value.message}`));
    });
    call.on('error', (error) => pending?.reject(error));
    return { call, sessionId, set: (p) => (pending = p) };
  });
  return {
    turn(i) {
      const stream = streams[i];
      const started = performance.now();
      const done = new Promise((resolve, reject) => stream.set({ resolve, reject }));
      stream.call.write({ payload: { $case: 'sendMessage', value: { sessionId: stream.sessionId, content: PROMPT, attachments: [], metadata: {} } } });
      return done.then((complete) => ({ ms: performance.now() - started, complete }));
    },
    close() {
      for (const { call } of streams) call.end();
      client.close();
    },
  };
}

/** Every stream runs `turnsEach` turns back to back, all streams at once; resolves with the wall time (ms). */
export async function runConcurrently(streams, count, turnsEach) {
  const started = performance.now();
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      for (let t = 0; t < turnsEach; t++) await streams.turn(i);
    }),
  );
  return performance.now() - started;
}
