import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  AgentRuntimeToken,
  SessionStoreToken,
  type AgentEvent,
  type LlmStreamEvent,
  type LlmToolCall,
  type NewMessage,
  type Session,
  type SessionStore,
  type Turn,
} from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { ScriptedLlmToken, type ScriptedCall, type ScriptedLlm, type Script } from './fixtures/scripted-llm/index.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const agentDir = join(builtins, 'agent');
export const workspaceDir = join(builtins, 'workspace');
const storageDirs = [join(builtins, 'storage'), join(builtins, 'storage-memory')];
export const scriptedDir = join(import.meta.dirname, 'fixtures/scripted-llm');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh real folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-agent-'));
  temps.push(dir);
  return dir;
}

export const SCRIPTED_LLM = { default_provider: 'scripted', providers: { scripted: { default_model: 'model-a' } } };

export interface AgentKernelOptions {
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Load the workspace plugin too (its sections and settings). */
  readonly workspace?: boolean;
  readonly with?: readonly string[];
  readonly configPath?: string;
}

/**
 * A kernel with the agent plugin, in-memory storage and the scripted provider (with its tools),
 * set up so the scripted provider answers every model call.
 */
export function agentKernel(options: AgentKernelOptions = {}): TestKernel {
  return createTestKernel({
    plugin: agentDir,
    with: [...storageDirs, scriptedDir, ...(options.workspace ? [workspaceDir] : []), ...(options.with ?? [])],
    settings: { database: { url: 'memory:' }, llm: SCRIPTED_LLM, ...options.settings },
    ...(options.configPath ? { configPath: options.configPath } : {}),
  });
}

export interface AgentHarness {
  readonly kernel: TestKernel;
  readonly llm: ScriptedLlm;
  readonly store: SessionStore;
  readonly session: Session;
  turn(content: string, extra?: Partial<Turn>): Turn;
  /** Runs a turn to its end and returns every event. */
  run(turn: Turn, signal?: AbortSignal): Promise<AgentEvent[]>;
  append(message: Omit<NewMessage, 'sessionId'>): Promise<string>;
}

export async function harness(kernel: TestKernel): Promise<AgentHarness> {
  const llm = await kernel.services.get(ScriptedLlmToken);
  const store = await kernel.services.get(SessionStoreToken);
  const session = await store.create({ agentId: 'main', channel: 'test', key: `main:test:${Math.random()}` });
  return {
    kernel,
    llm,
    store,
    session,
    turn: (content, extra = {}) => ({ sessionId: session.id, agentId: 'main', channel: 'test', content, ...extra }),
    run: async (turn, signal = AbortSignal.timeout(10_000)) => collect((await kernel.services.get(AgentRuntimeToken)).run(turn, { signal })),
    append: async (message) => (await store.appendMessage({ ...message, sessionId: session.id } as NewMessage)).id,
  };
}

export async function collect(events: AsyncIterable<AgentEvent>): Promise<AgentEvent[]> {
  const seen: AgentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/** A model response that streams `chunks` as text and ends the turn. */
export function says(...chunks: string[]): Script {
  return async function* () {
    for (const text of chunks) yield { type: 'text_delta', text } satisfies LlmStreamEvent;
    yield { type: 'usage', usage: { inputTokens: 10, outputTokens: chunks.length } };
    yield { type: 'done', stopReason: 'end_turn' };
  };
}

/** A model response that asks for tools (optionally after some text). */
export function calls(toolCalls: readonly LlmToolCall[], text?: string): Script {
  return async function* () {
    if (text) yield { type: 'text_delta', text };
    for (const call of toolCalls) yield { type: 'tool_call', call };
    yield { type: 'usage', usage: { inputTokens: 20, outputTokens: 5 } };
    yield { type: 'done', stopReason: 'tool_use' };
  };
}

export function call(name: string, input: unknown, id = `call-${name}-${Math.random().toString(36).slice(2, 8)}`): LlmToolCall {
  return { id, name, input };
}

/** Resolves when `signal` aborts; rejects like an SDK would. */
export function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(Object.assign(new Error('Request was aborted.'), { name: 'AbortError' }));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

export type { ScriptedCall };

export function ofType<T extends AgentEvent['type']>(events: readonly AgentEvent[], type: T): Extract<AgentEvent, { type: T }>[] {
  return events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);
}
