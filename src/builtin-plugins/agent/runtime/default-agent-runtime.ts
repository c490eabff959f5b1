import {
  AgentStoreToken,
  HistoryCompactorToken,
  isAgentRecordId,
  isStoreUnavailable,
  SessionStoreToken,
  STORE_LIMITS,
  type Agent,
  type AgentEvent,
  type AgentRuntime,
  type ConfigAccess,
  type ContributionRegistry,
  type HookBus,
  type Logger,
  type Message,
  type SilentToolCall,
  type SilentTurnResult,
  type PromptBuilder,
  type ServiceRegistry,
  type TaskTracker,
  type Turn,
} from '@nexus/plugin-sdk';
import { withoutHeartbeatAcks } from '@nexus/plugin-sdk/prompt';
import { readTurnSettings, type TurnSettings } from '../agent-settings.js';
import type { ModelClient } from '../llm/index.js';
import { promptContextFor } from '../prompt/prompt-context.js';
import { DeclaredTools } from '../tools/declared-tools.js';
import { ToolInputValidator } from '../tools/input-validator.js';
import { ToolSet } from '../tools/tool-set.js';
import { currentMessage } from './current-message.js';
import { EventChannel } from './event-channel.js';
import { conversationFor } from './history-messages.js';
import { TurnCancellation } from './turn-cancellation.js';
import { TurnError } from './turn-error.js';
import { chooseTurnModel } from './turn-model.js';
import { TurnRun, type TurnInputs } from './turn-run.js';

export interface AgentRuntimeDeps {
  readonly config: ConfigAccess;
  readonly contributions: ContributionRegistry;
  readonly services: ServiceRegistry;
  readonly hooks: HookBus;
  readonly logger: Logger;
  /** The plugin's tasks: stopping the plugin cancels running turns and waits for them. */
  readonly tasks: TaskTracker;
  readonly prompts: PromptBuilder;
  /** Creates the model client on the first turn, so startup never depends on provider config. */
  readonly modelClient: () => ModelClient;
}

/**
 * The built-in `AgentRuntime`. A turn starts when its events are first iterated and runs as a
 * tracked task; the reader's pace bounds it (`agent.event_buffer`), and the reader stopping
 * early cancels it.
 */
export class DefaultAgentRuntime implements AgentRuntime {
  private readonly validator = new ToolInputValidator();
  private readonly declaredTools: DeclaredTools;
  private client: ModelClient | undefined;
  private readonly aborts = new SharedAbort();

  constructor(private readonly deps: AgentRuntimeDeps) {
    this.declaredTools = new DeclaredTools(deps.contributions, this.validator, deps.logger);
  }

  run(turn: Turn, options: { readonly signal: AbortSignal }): AsyncIterable<AgentEvent> {
    const settings = readTurnSettings(this.deps.config);
    // The turn's own cancellation: the caller cancelling, the plugin stopping or the reader leaving.
    const cancel = new TurnCancellation();
    const events = new EventChannel<AgentEvent>(settings.event_buffer, () => cancel.abort(new Error('the reader stopped reading the turn')));
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      this.deps.tasks
        .run(`turn ${turn.sessionId}`, async (taskSignal) => {
          // The caller's signal is usually long-lived too (one per gRPC stream, say), so both go
          // through a shared listener rather than a listener added and removed per turn.
          const unlink = this.aborts.watch(options.signal, cancel);
          const unwatch = this.aborts.watch(taskSignal, cancel);
          try {
            const run = new TurnRun(turn, cancel, events, { model: this.model(), hooks: this.deps.hooks, logger: this.deps.logger });
            await run.run(() => this.prepare(turn, cancel, settings));
          } finally {
            unwatch();
            unlink();
          }
        })
        .catch((error: unknown) => {
          // Only a stopping plugin refuses a task; the reader still gets an ending.
          events.pushFinal({ type: 'error', code: 'cancelled', message: (error as Error).message, partial: false });
          events.close();
        });
    };
    return {
      [Symbol.asyncIterator]: () => {
        start();
        return events[Symbol.asyncIterator]();
      },
    };
  }

  /** The `llm.providers` ids, which `turn.before` handlers choose among. */
  private providerIds(): ReadonlySet<string> {
    const providers = this.deps.config.section<{ providers?: Record<string, unknown> }>('llm')?.providers ?? {};
    return new Set(Object.keys(providers));
  }

  private model(): ModelClient {
    this.client ??= this.deps.modelClient();
    return this.client;
  }

  private async prepare(turn: Turn, cancellation: TurnCancellation, settings: TurnSettings): Promise<TurnInputs> {
    // Only a session made for a stored agent has one to read; the others run as the config says.
    const agent = isAgentRecordId(turn.agentId) ? await this.agentRecord(turn) : undefined;
    // A turn that names its model (a plugin's turn) runs with it instead of the agent's.
    const turnModel = turn.model !== undefined && turn.model.trim() !== '' ? turn.model.trim() : undefined;
    const agentModel = turnModel ?? (agent?.model !== undefined && agent.model.trim() !== '' ? agent.model.trim() : undefined);
    const [system, history, tools, model] = await Promise.all([
      this.systemPrompt(turn, cancellation, agent),
      this.history(turn, settings.history_limit),
      ToolSet.load(this.declaredTools, this.deps.contributions, this.validator, this.deps.logger, { signal: cancellation.signal, sessionId: turn.sessionId }),
      chooseTurnModel(this.deps.hooks, turn, agentModel, this.providerIds()),
    ]);
    const compacted = await this.compactHistory(turn, system, history, cancellation);
    const conversation = conversationFor(compacted, currentMessage(turn), settings.unanswered_messages);
    return {
      system,
      ...(model !== undefined ? { model } : {}),
      conversation: conversation.messages,
      ...(conversation.unanswered.length > 0 ? { unanswered: { messageIds: conversation.unanswered, included: settings.unanswered_messages === 'include' } } : {}),
      tools,
      maxIterations: turn.maxIterations ?? settings.max_iterations,
      toolTimeoutMs: settings.toolTimeoutMs,
    };
  }

  /**
   * The history as the session's compactor (`nexus.history-compactor`, when a plugin provides
   * one) wants it sent: compaction has one owner, and it is not the runtime. A compactor that
   * fails leaves the history as it was; the turn still runs.
   */
  private async compactHistory(turn: Turn, system: string, history: readonly Message[], cancellation: TurnCancellation): Promise<readonly Message[]> {
    if (!this.deps.services.has(HistoryCompactorToken)) return history;
    try {
      const compactor = await this.deps.services.get(HistoryCompactorToken);
      const signal = cancellation.signal;
      const result = await compactor.compact({ turn, systemPrompt: system, history, signal, runSilentTurn: (message, metadata) => this.runSilent(turn, message, metadata, signal) });
      return result.history;
    } catch (error) {
      if (cancellation.signal.aborted) throw error;
      this.deps.logger.warn(`the history compactor failed (${(error as Error).message}); the turn runs with the history uncompacted`, { sessionId: turn.sessionId });
      return history;
    }
  }

  /** A turn in the same session whose events nobody reads: what a compactor's flush asks the model. */
  private async runSilent(turn: Turn, message: string, metadata: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<SilentTurnResult> {
    const silent: Turn = { sessionId: turn.sessionId, agentId: turn.agentId, channel: turn.channel, content: message, metadata: { ...turn.metadata, ...metadata } };
    const pending = new Map<string, { name: string; input: unknown }>();
    const toolCalls: SilentToolCall[] = [];
    for await (const event of this.run(silent, { signal })) {
      if (event.type === 'tool_call') pending.set(event.call.id, { name: event.call.name, input: event.call.input });
      else if (event.type === 'tool_result') toolCalls.push({ name: event.name, input: pending.get(event.callId)?.input, content: event.content, isError: event.isError });
      else if (event.type === 'done') return { status: 'done', text: event.text, toolCalls };
      else if (event.type === 'error') return { status: 'error', text: '', toolCalls, error: `${event.code}: ${event.message}` };
    }
    return { status: 'error', text: '', toolCalls, error: 'the silent turn ended without an outcome' };
  }

  /** The turn's override; else the stored agent's own instructions, first, then the assembled sections. */
  private async systemPrompt(turn: Turn, cancellation: TurnCancellation, agent: Agent | undefined): Promise<string> {
    if (turn.systemPromptOverride !== undefined && turn.systemPromptOverride.trim() !== '') return turn.systemPromptOverride;
    const assembled = (await this.deps.prompts.build(promptContextFor(turn, cancellation))).text;
    const own = agent?.systemPrompt?.trim() ?? '';
    if (own === '') return assembled;
    return assembled === '' ? own : `${own}\n\n${assembled}`;
  }

  /**
   * The stored agent the turn's session was made for. One that cannot be read (deleted since, or
   * the store failing) does not fail the turn: it runs with the configured prompt and model, and
   * the log says why.
   */
  private async agentRecord(turn: Turn): Promise<Agent | undefined> {
    const where = { sessionId: turn.sessionId, agentId: turn.agentId };
    if (!this.deps.services.has(AgentStoreToken)) {
      this.deps.logger.warn('no agent store is enabled, so the turn runs with the configured prompt and model; enable a storage plugin', where);
      return undefined;
    }
    try {
      return await (await this.deps.services.get(AgentStoreToken)).get(turn.agentId);
    } catch (error) {
      this.deps.logger.warn(`cannot read the session's agent ${turn.agentId} (${(error as Error).message}); the turn runs with the configured prompt and model`, where);
      return undefined;
    }
  }

  /**
   * The last `history_limit` messages before this turn. The gateway stores the inbound message
   * before running the turn and passes its id: that message is left out here and sent once, as
   * the current message. Without an id the message is not stored yet, so nothing is left out.
   */
  private async history(turn: Turn, limit: number): Promise<readonly Message[]> {
    if (limit === 0) return [];
    if (!this.deps.services.has(SessionStoreToken)) {
      this.deps.logger.warn('no session store is enabled, so the turn runs without history; enable a storage plugin', { sessionId: turn.sessionId });
      return [];
    }
    const store = await this.deps.services.get(SessionStoreToken);
    let messages: readonly Message[];
    try {
      // One more than the limit, because the current message is among them; a store pages at most STORE_LIMITS.pageSize.
      messages = await store.history(turn.sessionId, Math.min(turn.messageId === undefined ? limit : limit + 1, STORE_LIMITS.pageSize));
    } catch (error) {
      if (isStoreUnavailable(error)) throw new TurnError('unavailable', `cannot read the conversation so far: ${(error as Error).message}`);
      throw new Error(`cannot read the history of session ${turn.sessionId}: ${(error as Error).message}`, { cause: error });
    }
    // The current message is normally the last one stored, so look for it from the end.
    const current = turn.messageId === undefined ? -1 : messages.findLastIndex((m) => m.id === turn.messageId);
    const earlier = current === -1 ? messages : [...messages.slice(0, current), ...messages.slice(current + 1)];
    // Silent turns (a memory flush) and heartbeats that found nothing are kept out of the conversation.
    return withoutHeartbeatAcks(earlier.filter((m) => m.metadata.silent !== true)).slice(-limit);
  }
}

/**
 * Cancels every running turn when a signal they share aborts: the plugin's task signal (the
 * same for all its turns) or a caller's (the same for all of that caller's turns). One listener
 * per such signal and a set of the turns it covers, instead of an add/removeEventListener pair
 * per turn (a measurable share of a turn's cost). A turn leaves the set when it ends, so nothing
 * outlives it; the set itself goes with its signal (a WeakMap).
 */
class SharedAbort {
  private readonly watching = new WeakMap<AbortSignal, Set<TurnCancellation>>();

  watch(source: AbortSignal, target: TurnCancellation): () => void {
    if (source.aborted) {
      target.abort(source.reason);
      return () => undefined;
    }
    let targets = this.watching.get(source);
    if (targets === undefined) {
      const covered = new Set<TurnCancellation>();
      targets = covered;
      this.watching.set(source, covered);
      source.addEventListener('abort', () => {
        for (const turn of covered) turn.abort(source.reason);
        covered.clear();
      }, { once: true });
    }
    targets.add(target);
    const covered = targets;
    return () => covered.delete(target);
  }
}
