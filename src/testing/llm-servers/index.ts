/**
 * Fake LLM APIs on 127.0.0.1 that speak the real wire formats, for tests and benchmarks that run
 * the official SDKs against something local.
 *
 *   await using server = await startFakeAnthropic({ apiKey: 'sk-test' });
 *   server.push(textReply('Hel', 'lo'), httpError(429, { headers: { 'retry-after': '2' } }));
 *   // base_url: server.url (Anthropic) or openaiBaseUrl(server) (OpenAI, `<url>/v1`)
 *   server.streamRequests[0].body   // what the SDK sent
 *
 * Each streaming request takes the next queued reply: `textReply`, `toolCallReply`, `httpError`,
 * or a `StreamReply` with `delayMs`, `chunkDelayMs`, `end: 'disconnect' | 'stall' | 'malformed' |
 * { error }` and `endAfter`. With the queue empty, the `always(reply)` reply is served, else a 500.
 * `GET /v1/models` lists `models`. With `apiKey` set, a request with another key gets a 401.
 */
import { anthropicWire } from './anthropic-wire.js';
import { FakeLlmServer, type FakeServerOptions } from './fake-server.js';
import { openaiWire } from './openai-wire.js';

export { FakeLlmServer, type FakeServerOptions, type RecordedRequest } from './fake-server.js';
export * from './scripted-reply.js';

/** A fake Anthropic Messages API. Use `url` as the base URL. */
export function startFakeAnthropic(options: FakeServerOptions = {}): Promise<FakeLlmServer> {
  return new FakeLlmServer(anthropicWire, options).listen();
}

/** A fake OpenAI Chat Completions API. Use `${url}/v1` as the base URL (`openaiBaseUrl`). */
export function startFakeOpenAI(options: FakeServerOptions = {}): Promise<FakeLlmServer> {
  return new FakeLlmServer(openaiWire, options).listen();
}

/** The base URL an OpenAI client needs for a fake server: `<url>/v1`. */
export function openaiBaseUrl(server: FakeLlmServer): string {
  return `${server.url}/v1`;
}
