import { join } from 'node:path';
import { AgentRuntimeToken, SessionStoreToken, type AgentEvent, type NewMessage, type Session, type SessionStore, type Turn } from '@nexus/plugin-sdk';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { collect, SCRIPTED_LLM } from '../agent/agent-test-kit.js';
import { ScriptedLlmToken, type ScriptedLlm } from '../agent/fixtures/scripted-llm/index.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const memoryDir = join(builtins, 'memory');
const agentDir = join(builtins, 'agent');
const workspaceDir = join(builtins, 'workspace');
const scriptedDir = join(import.meta.dirname, '../agent/fixtures/scripted-llm');
export const flushRecorderDir = join(import.meta.dirname, 'fixtures/flush-recorder');

export interface MemoryKernelOptions {
  /** The workspace folder (memory files live there). */
  readonly workspace: string;
  /** The `memory` section; `enabled: true` is added unless given. */
  readonly memory?: Readonly<Record<string, unknown>>;
  /** `database` section: SQLite in the test home unless a PostgreSQL URL is given. */
  readonly database?: Readonly<Record<string, unknown>>;
  readonly with?: readonly string[];
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * A kernel with the memory plugin under test and the real agent runtime, workspace plugin and
 * SQL storage (SQLite in the kernel's temporary home, or PostgreSQL), answering model calls with
 * the scripted provider. The watcher stays off unless a test turns it on.
 */
export function memoryKernel(options: MemoryKernelOptions): TestKernel {
  const postgres = typeof options.database?.url === 'string' && options.database.url.startsWith('postgres');
  const storage = [join(builtins, 'storage'), join(builtins, postgres ? 'storage-postgres' : 'storage-sqlite')];
  return createTestKernel({
    plugin: memoryDir,
    with: [agentDir, workspaceDir, scriptedDir, ...storage, ...(options.with ?? [])],
    settings: {
      llm: SCRIPTED_LLM,
      workspace: { path: options.workspace },
      memory: { enabled: true, watch: { enabled: false }, ...options.memory },
      ...(options.database ? { database: options.database } : {}),
      ...options.settings,
    },
  });
}

export interface MemoryHarness {
  readonly kernel: TestKernel;
  readonly llm: ScriptedLlm;
  readonly store: SessionStore;
  session(channel: string, conversation: string, metadata?: Record<string, unknown>): Promise<Session>;
  /** Stores the inbound message (as the gateway does) and runs the turn to its end. */
  turn(session: Session, content: string, metadata?: Record<string, unknown>): Promise<AgentEvent[]>;
  append(session: Session, message: Omit<NewMessage, 'sessionId'>): Promise<void>;
}

export async function memoryHarness(kernel: TestKernel): Promise<MemoryHarness> {
  const llm = await kernel.services.get(ScriptedLlmToken);
  const store = await kernel.services.get(SessionStoreToken);
  return {
    kernel,
    llm,
    store,
    session: (channel, conversation, metadata = {}) => store.create({ agentId: 'main', channel, key: `main:${channel}:${conversation}`, metadata }),
    async turn(session, content, metadata = {}) {
      const inbound = await store.appendMessage({ sessionId: session.id, role: 'user', content, metadata });
      const turn: Turn = { sessionId: session.id, agentId: 'main', channel: session.channel, content, metadata, messageId: inbound.id };
      const events = await collect((await kernel.services.get(AgentRuntimeToken)).run(turn, { signal: AbortSignal.timeout(20_000) }));
      const done = events.find((e) => e.type === 'done');
      if (done?.type === 'done') await store.appendMessage({ sessionId: session.id, role: 'assistant', content: done.text });
      return events;
    },
    async append(session, message) {
      await store.appendMessage({ ...message, sessionId: session.id } as NewMessage);
    },
  };
}
