import { join } from 'node:path';
import { expect } from 'vitest';
import {
  isProviderError,
  type LlmMessage,
  type LlmProvider,
  type LlmProviderFactory,
  type LlmRequest,
  type LlmStreamEvent,
  type ObservingHooks,
  type ProviderError,
} from '@nexus/plugin-sdk';
import { anthropicFactory } from '../../../src/builtin-plugins/anthropic/anthropic-provider.js';
import { createModelClient, type ModelClient, type ModelClientOptions, type ModelStreamEvent } from '../../../src/builtin-plugins/agent/llm/index.js';
import { openaiFactory } from '../../../src/builtin-plugins/openai/openai-provider.js';
import { KernelHookBus } from '../../../src/kernel/runtime/hook-bus.js';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { openaiBaseUrl, startFakeAnthropic, startFakeOpenAI } from '../../fixtures/llm-servers/index.js';

export const anthropicPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/anthropic');
export const openaiPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/openai');
export const agentPluginDir = join(import.meta.dirname, '../../../src/builtin-plugins/agent');

export interface Collected<E> {
  readonly events: E[];
  readonly error: unknown;
}

/** Drains a stream, keeping what came before a failure and the failure itself. */
export async function collect<E>(stream: AsyncIterable<E>): Promise<Collected<E>> {
  const events: E[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

export function userText(text: string): LlmMessage {
  return { role: 'user', content: [{ type: 'text', text }] };
}

export function request(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return { model: 'test-model', messages: [userText('hi')], ...overrides };
}

/** One provider call with a generous deadline. */
export function streamOnce(provider: LlmProvider, req: LlmRequest = request(), signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<Collected<LlmStreamEvent>> {
  return collect(provider.stream(req, { signal }));
}

export function texts(events: readonly { readonly type: string; readonly text?: unknown }[]): string {
  return events.map((e) => (e.type === 'text_delta' && typeof e.text === 'string' ? e.text : '')).join('');
}

/** Time that passes only when the client sleeps: every wait is recorded and returns at once. */
export class TestTime {
  readonly sleeps: number[] = [];
  clock = 1_000_000;
  now = (): number => this.clock;
  random = (): number => 0.5;
  sleep = async (ms: number, signal: AbortSignal): Promise<void> => {
    signal.throwIfAborted();
    this.sleeps.push(ms);
    this.clock += ms;
  };
  advance(ms: number): void {
    this.clock += ms;
  }
}

/** A model client over the real provider factories, with recorded hooks, logs and time. */
export function testModelClient(llm: Record<string, unknown>, options: Partial<ModelClientOptions> = {}) {
  const logger = new MemoryLogger();
  const hooks = new KernelHookBus(logger, async () => undefined, 1_000);
  const failures: ObservingHooks['provider.failed'][] = [];
  hooks.subscribe('test', 'provider.failed', (payload: ObservingHooks['provider.failed']) => void failures.push(payload));
  const time = new TestTime();
  const factories: Record<string, LlmProviderFactory> = { anthropic: anthropicFactory, openai: openaiFactory };
  const client: ModelClient = createModelClient({
    llm,
    factory: async (type) => factories[type],
    knownTypes: Object.keys(factories),
    logger,
    hooks,
    env: {},
    time,
    ...options,
  });
  const run = (model?: string, signal: AbortSignal = AbortSignal.timeout(10_000), iteration = 1): Promise<Collected<ModelStreamEvent>> =>
    collect(client.stream({ model, messages: [userText('hi')] }, { signal, iteration }));
  return { client, run, logger, failures, time };
}

/** The attempt and failover events, shortened to `attempt p/m #n` and `failover p/m -> q/n (reason)`. */
export function chainEvents(events: readonly ModelStreamEvent[]): string[] {
  return events.flatMap((e) => {
    if (e.type === 'attempt') return [`attempt ${e.candidate.provider}/${e.candidate.model} #${e.attempt}`];
    if (e.type === 'failover') {
      const to = e.to ? `${e.to.provider}/${e.to.model}` : 'nothing';
      return [`failover ${e.from.provider}/${e.from.model} -> ${to} (${e.reason}${e.retryInMs === undefined ? '' : `, in ${e.retryInMs} ms`})`];
    }
    return [];
  });
}

/** A primary Anthropic entry and an OpenAI-compatible fallback, each on its own fake server. */
export async function twoProviders(extra: { primary?: Record<string, unknown>; llm?: Record<string, unknown> } = {}) {
  const anthropic = await startFakeAnthropic({ apiKey: 'sk-ant' });
  const local = await startFakeOpenAI();
  const llm = {
    default_provider: 'anthropic',
    providers: {
      anthropic: { api_key: 'sk-ant', base_url: anthropic.url, default_model: 'claude-test', ...extra.primary },
      local: { type: 'openai', base_url: openaiBaseUrl(local), default_model: 'llama-test' },
    },
    fallbacks: ['local'],
    ...extra.llm,
  };
  return {
    anthropic,
    local,
    llm,
    async [Symbol.asyncDispose]() {
      await Promise.all([anthropic.close(), local.close()]);
    },
  };
}

export function providerError(error: unknown): ProviderError {
  expect(isProviderError(error)).toBe(true);
  return error as ProviderError;
}
