import type {
  AgentEvent,
  HookBus,
  LlmContentPart,
  LlmMessage,
  LlmToolCall,
  LlmUsage,
  Logger,
  ObservingHooks,
  ProviderCandidate,
  Turn,
} from '@nexus/plugin-sdk';
import type { ModelClient, ModelRequest } from '../llm/index.js';
import { executeWithHooks } from '../tools/tool-hooks.js';
import type { ToolSet } from '../tools/tool-set.js';
import type { EventChannel } from './event-channel.js';
import { errorEventFor, TurnError } from './turn-error.js';
import type { TurnCancellation } from './turn-cancellation.js';

/** Everything a turn needs, resolved before the loop starts. */
export interface TurnInputs {
  readonly system: string;
  /** The session's stored agent's model (`id/model` for an `llm.providers` entry, else a model of the primary); the chain's own when absent. */
  readonly model?: string;
  readonly conversation: LlmMessage[];
  /** Earlier messages that got no answer, and whether the conversation carries them. */
  readonly unanswered?: { readonly messageIds: readonly string[]; readonly included: boolean };
  readonly tools: ToolSet;
  readonly maxIterations: number;
  readonly toolTimeoutMs: number;
}

export interface TurnDeps {
  readonly model: ModelClient;
  readonly hooks: HookBus;
  readonly logger: Logger;
}

type TurnCompleted = ObservingHooks['turn.completed'];
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ModelResponse {
  readonly text: string;
  readonly calls: readonly LlmToolCall[];
}

/**
 * One turn of the agentic loop: call the model, run the tools it asks for (all calls of one
 * response at once), feed the results back, until it answers without tools or the iteration
 * cap is hit. Every event goes through the bounded channel, so a slow reader slows the loop.
 */
export class TurnRun {
  private iterations = 0;
  private usage: { inputTokens: number; outputTokens: number } = { inputTokens: 0, outputTokens: 0 };
  private candidate: ProviderCandidate | undefined;
  /** Text reached the reader: a failure from here on is a partial answer. */
  private streamedText = false;

  constructor(
    private readonly turn: Turn,
    private readonly cancellation: TurnCancellation,
    private readonly events: EventChannel<AgentEvent>,
    private readonly deps: TurnDeps,
  ) {}

  /** Runs the turn to its end; never throws. `prepare` failing (prompt, history) ends the turn with an error event. */
  async run(prepare: () => Promise<TurnInputs>): Promise<void> {
    const started = performance.now();
    const where = { sessionId: this.turn.sessionId, agentId: this.turn.agentId, channel: this.turn.channel };
    await this.deps.hooks.emit('turn.started', where);
    let last: Extract<AgentEvent, { type: 'done' | 'error' }>;
    try {
      const inputs = await prepare();
      if (inputs.unanswered) await this.events.push({ type: 'unanswered', ...inputs.unanswered });
      last = await this.loop(inputs);
    } catch (error) {
      last = errorEventFor(error, this.cancellation, this.streamedText);
      if (last.code === 'internal') this.deps.logger.error(`turn failed: ${last.message}`, { ...where, err: error });
      else this.deps.logger.warn(`turn ended: ${last.message}`, { ...where, code: last.code });
    }
    this.events.pushFinal(last);
    await this.deps.hooks.emit('turn.completed', this.completion(where, performance.now() - started, last));
    this.events.close();
  }

  /**
   * The `turn.completed` payload. Optional keys are added in place rather than spread in: the
   * conditional spreads were a measurable share of a turn. Key order is the same as ever.
   */
  private completion(where: Pick<Turn, 'sessionId' | 'agentId' | 'channel'>, durationMs: number, last: Extract<AgentEvent, { type: 'done' | 'error' }>): TurnCompleted {
    const outcome: TurnCompleted['outcome'] = last.type !== 'error' ? 'done' : last.code === 'cancelled' ? 'cancelled' : 'error';
    const { sessionId, agentId, channel } = where;
    const iterations = this.iterations;
    const usage = { inputTokens: this.usage.inputTokens, outputTokens: this.usage.outputTokens };
    const payload: Mutable<TurnCompleted> =
      last.type === 'error'
        ? { sessionId, agentId, channel, durationMs, outcome, errorCode: last.code, iterations, usage }
        : { sessionId, agentId, channel, durationMs, outcome, iterations, usage };
    if (this.candidate) {
      payload.provider = this.candidate.provider;
      payload.model = this.candidate.model;
    }
    return payload;
  }

  private async loop(inputs: TurnInputs): Promise<Extract<AgentEvent, { type: 'done' }>> {
    const messages = inputs.conversation;
    const tools = inputs.tools.size > 0 ? inputs.tools.specs() : undefined;
    for (let iteration = 1; iteration <= inputs.maxIterations; iteration++) {
      this.iterations = iteration;
      const response = await this.callModel({ system: inputs.system, messages, ...(tools ? { tools } : {}), ...(inputs.model !== undefined ? { model: inputs.model } : {}) }, iteration);
      if (response.calls.length === 0) return { type: 'done', text: response.text };

      const assistant: LlmContentPart[] = response.text === '' ? [] : [{ type: 'text', text: response.text }];
      messages.push({ role: 'assistant', content: [...assistant, ...response.calls.map((call): LlmContentPart => ({ type: 'tool_call', call }))] });
      const results = await Promise.all(response.calls.map((call) => this.runTool(call, inputs)));
      this.throwIfCancelled();
      messages.push({ role: 'user', content: results });
    }
    throw new TurnError(
      'max_iterations',
      `the model was still calling tools after ${inputs.maxIterations} model calls (agent.max_iterations); raise agent.max_iterations if such long tool chains are expected`,
    );
  }

  private async callModel(request: ModelRequest, iteration: number): Promise<ModelResponse> {
    let text = '';
    let calls: LlmToolCall[] = [];
    for await (const event of this.deps.model.stream(request, { signal: this.cancellation, iteration })) {
      this.throwIfCancelled();
      let forward: AgentEvent;
      switch (event.type) {
        case 'attempt':
          // A new attempt starts the response over; the client never retries once text was shown.
          this.candidate = event.candidate;
          text = '';
          calls = [];
          forward = event;
          break;
        case 'failover':
          forward = event;
          break;
        case 'text_delta':
          if (event.text === '') continue;
          text += event.text;
          this.streamedText = true;
          forward = event;
          break;
        case 'tool_call':
          calls.push(event.call);
          forward = { type: 'tool_call', call: event.call };
          break;
        case 'usage':
          this.addUsage(event.usage);
          forward = { type: 'usage', usage: event.usage, provider: this.candidate?.provider ?? 'unknown', model: this.candidate?.model ?? 'unknown' };
          break;
        case 'done':
          continue;
      }
      const full = this.events.push(forward);
      // Only a full buffer makes the loop wait; awaiting every push cost a tick per event.
      if (full !== undefined) await full;
    }
    this.throwIfCancelled();
    return { text, calls };
  }

  private async runTool(call: LlmToolCall, inputs: TurnInputs): Promise<LlmContentPart> {
    const outcome = await executeWithHooks(inputs.tools, this.deps.hooks, call, this.turn, { signal: this.cancellation.signal, sessionId: this.turn.sessionId, defaultTimeoutMs: inputs.toolTimeoutMs });
    // Observers must not hold up the model; the bus logs a failing handler itself.
    this.deps.hooks.emit('tool.executed', { sessionId: this.turn.sessionId, tool: call.name, durationMs: outcome.durationMs, isError: outcome.isError }).catch(() => undefined);
    if (!outcome.cancelled) {
      await this.events.push({ type: 'tool_result', callId: call.id, name: call.name, content: outcome.content, isError: outcome.isError });
    }
    return { type: 'tool_result', callId: call.id, content: outcome.content, isError: outcome.isError };
  }

  private addUsage(usage: LlmUsage): void {
    this.usage.inputTokens += usage.inputTokens;
    this.usage.outputTokens += usage.outputTokens;
  }

  private throwIfCancelled(): void {
    if (this.cancellation.aborted) throw new TurnError('cancelled', 'the turn was cancelled');
  }
}
