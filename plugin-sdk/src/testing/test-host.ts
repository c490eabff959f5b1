import type { AssembledPrompt, PromptContext } from '../contracts/index.js';
import type { Diagnostic } from '../contracts/index.js';
import type { HookBus } from '../contracts/index.js';
import type { AgentEvent } from '../contracts/index.js';
import type { ToolResult } from '../contracts/index.js';
import type { Token } from '../contracts/index.js';
import type { LogEntry } from './memory-logger.js';
import type { PluginUnderTest } from './host-kit.js';

/** One answer of the scripted model: text, tool calls (after optional text), or an HTTP error. */
export type ModelReply =
  | string
  | { readonly text?: string; readonly toolCalls: readonly { readonly name: string; readonly input: unknown }[] }
  | { readonly error: { readonly status: number; readonly message?: string } };

export interface TestHostOptions extends PluginUnderTest {
  /**
   * What the model answers, one reply per model call, in order. The host runs the real provider
   * (OpenAI's wire format) against a scripted server on 127.0.0.1; a call past the script fails.
   */
  readonly model?: readonly ModelReply[];
}

/** A request to the host's HTTP server. `json` is sent as the body with a JSON content type. */
export interface TestRequest {
  readonly method?: string;
  /** The path, with any query: `/channels/acme/hook?x=1`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly json?: unknown;
}

export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON (throws if it is not). */
  json<T = unknown>(): T;
}

/** A turn the runtime ran with the scripted model. */
export interface TestTurn {
  /** The final answer, or undefined if the turn failed. */
  readonly text: string | undefined;
  /** Every event, in order. */
  readonly events: readonly AgentEvent[];
  /** The tools the model called, with what they returned. */
  readonly toolCalls: readonly { readonly name: string; readonly input: unknown; readonly result: string; readonly isError: boolean }[];
  /** The error that ended the turn, if it failed. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** What the scripted model was sent on one call. */
export interface ModelRequest {
  readonly system: string | undefined;
  /** The conversation as the provider's wire format carried it. */
  readonly messages: readonly unknown[];
  /** The names of the tools offered. */
  readonly tools: readonly string[];
}

/**
 * The plugin under test running in a real host: the built-in HTTP server (route auth and all),
 * the agent runtime with its prompt builder, the hook bus and in-memory storage, isolated in a
 * temporary home. Stop it (or `await using` it) at the end of the test.
 */
export interface TestHost {
  readonly pluginId: string;
  /** The plugin's state (`active`, `failed`, …) and its diagnostics. */
  state(): { readonly state: string; readonly diagnostics: readonly Diagnostic[] };
  /** Everything the host and the plugins logged. */
  readonly logs: readonly LogEntry[];
  /** Sends a request through the real HTTP server and dispatch. */
  request(init: TestRequest): Promise<TestResponse>;
  /** Creates an API key (a `user` one unless `admin`) and returns it, for routes with `auth: token`. */
  apiKey(options?: { readonly admin?: boolean }): Promise<string>;
  /** The system prompt a turn would get, with each section and the plugin that wrote it. */
  prompt(context?: Partial<Omit<PromptContext, 'signal'>>): Promise<AssembledPrompt>;
  /** Runs a turn through the agent runtime with the scripted model. */
  turn(message: string, options?: { readonly session?: string; readonly channel?: string; readonly metadata?: Readonly<Record<string, unknown>> }): Promise<TestTurn>;
  /** What the model was sent, call by call. */
  modelRequests(): readonly ModelRequest[];
  /**
   * Calls a tool directly, its input validated against its declared schema. The `tool.before`
   * and `tool.after` hooks do not run: use `turn` to see a tool call through them.
   */
  callTool(name: string, input: unknown): Promise<ToolResult>;
  /**
   * The host's hook bus: emit observing hooks and run modifying ones (`hooks.modify('tool.before', …)`),
   * which first activates the plugins that declare the hook. A handler that fails is skipped and
   * listed in `state().diagnostics` as `hook.handler-failed`.
   */
  readonly hooks: HookBus;
  /** A service, activating its provider. */
  service<T>(token: Token<T>): Promise<T>;
  /** A contribution, activating its owner. */
  contribution<T>(point: Token<T>, name: string): Promise<T>;
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}
