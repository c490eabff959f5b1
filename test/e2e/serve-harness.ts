/**
 * End-to-end harness: a real `nexus serve` in a child process, built from `dist/`, with its own
 * NEXUS_HOME and config in a temp dir, talked to by real grpc-js clients, and a fake OpenAI
 * server (test/fixtures/llm-servers) as the model.
 *
 *   const nexus = nexusInstance({ llm: fakeLlm(llm) });
 *   const { key } = await nexus.createApiKey('ada');   // `nexus auth api-key create --json`
 *   const server = await nexus.serve();                 // waits for the `gRPC  host:port` line
 *   const stream = openStream(server.target, { apiKey: key });
 *   stream.send('hi');
 *   const [end] = await stream.turnEnds(1);             // message_complete or error_notification
 *   expect(await server.stop()).toEqual({ code: 0, signal: null });
 *
 * A missing or stale `dist/` fails the test saying to run `npm run build`.
 */
import type { FakeLlmServer } from '../fixtures/llm-servers/index.js';
import { openaiBaseUrl } from '../fixtures/llm-servers/index.js';

export { cliMain, repoRoot, requireFreshBuild } from './harness/build-check.js';
export { onCleanup, tempDir } from './harness/cleanup.js';
export { call, connectClients, failure, reflectedServices, standardCheck, type StandardHealthClient, type UnaryClients } from './harness/clients.js';
export { credentialsMetadata, GatewayStream, openStream, type Credentials } from './harness/gateway-stream.js';
export { childEnv, nexusInstance, type CliRun, type Exit, type LogLine, type NexusInstance, type ServeProcess } from './harness/nexus-process.js';
export { storedMessages, type StoredRow } from './harness/stored-messages.js';

/** A JWT secret long enough for `auth.jwt_secret`. */
export const JWT_SECRET = 'e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** The `llm` section pointing the OpenAI provider at a fake server, without retries. */
export function fakeLlm(server: FakeLlmServer): Record<string, unknown> {
  return { default_provider: 'openai', providers: { openai: { base_url: openaiBaseUrl(server), api_key: 'test', default_model: 'gpt-test', max_retries: 0 } } };
}

/** What the fake model was sent in its `n`th streaming request, as one string (for `toContain`). */
export function sentToModel(server: FakeLlmServer, n: number): string {
  const request = server.streamRequests[n];
  if (!request) throw new Error(`the fake model got ${server.streamRequests.length} request(s), not ${n + 1}`);
  return JSON.stringify(request.body);
}
