import { randomUUID } from 'node:crypto';
import type { AgentEvent, AgentRuntime, Clock, HookBus, Logger, Message, SessionStore } from '@nexus/plugin-sdk';
import { MessageDroppedError } from './message-dropped.js';
import type { TurnListener, TurnOutcome, TurnRequest, TurnTranscript } from './turn-types.js';

export interface TurnRunnerDeps {
  /** Looked up per turn: the store may come up after the gateway, or be missing (the call says why). */
  readonly sessions: () => Promise<SessionStore>;
  readonly runtime: () => Promise<AgentRuntime>;
  readonly hooks: HookBus;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * One turn: store the inbound message, run the agent, store what it answered. Whatever ends the
 * turn (an error, the caller cancelling, shutdown cutting it off), what was produced is stored
 * and marked, never dropped. Storing the inbound message can fail (bad input); that rejects
 * before anything runs.
 */
export class TurnRunner {
  constructor(private readonly deps: TurnRunnerDeps) {}

  async run(original: TurnRequest, shutdown: AbortSignal, listener: TurnListener): Promise<TurnOutcome> {
    const request = await this.receiving(original);
    const { session } = request;
    const turnId = randomUUID();
    const sessions = await this.deps.sessions();
    const inbound = await sessions.appendMessage({
      sessionId: session.id,
      role: 'user',
      content: request.content,
      attachments: request.attachments,
      metadata: { ...request.metadata, channel: request.channel, account_id: request.accountId, turn_id: turnId, ...(request.silent === true && { silent: true }) },
    });
    await this.deps.hooks.emit('message.received', { channel: request.channel, accountId: request.accountId, sessionId: session.id, messageId: inbound.id });
    listener({ type: 'started', sessionId: session.id, turnId, inbound });

    // A caller's signal carries shutdown's cut-off too (MessagePipeline.openCaller).
    const signal = request.signal ?? shutdown;

    const transcript: TurnTranscript = { text: '', toolCalls: [], toolResults: [], inputTokens: 0, outputTokens: 0 };
    let failure: { code: string; message: string } | undefined;
    try {
      const runtime = await this.deps.runtime();
      const events = runtime.run(
        {
          sessionId: session.id,
          agentId: session.agentId,
          channel: request.channel,
          content: request.content,
          attachments: request.attachments,
          metadata: request.metadata,
          messageId: inbound.id,
          ...(request.model !== undefined && { model: request.model }),
          ...(request.maxIterations !== undefined && { maxIterations: request.maxIterations }),
        },
        { signal },
      );
      for await (const event of events) {
        record(transcript, event);
        if (event.type === 'error') failure = { code: event.code, message: event.message };
        listener({ type: 'agent', sessionId: session.id, turnId, event });
      }
    } catch (error) {
      this.deps.logger.error('turn failed unexpectedly', { sessionId: session.id, turnId, error: (error as Error).message });
      failure = { code: 'internal', message: (error as Error).message };
    }

    const status = !failure ? 'done' : shutdown.aborted ? 'interrupted' : request.signal?.aborted ? 'cancelled' : 'error';
    const reply = await this.storeReply(sessions, session.id, turnId, transcript, status, failure, request.silent === true);
    if (status !== 'done' && !reply) await this.markUnanswered(sessions, session.id, turnId, inbound, status, failure!);
    const outcome: TurnOutcome =
      status === 'done'
        ? { status, inbound, reply }
        : { status, inbound, reply, code: status === 'error' ? failure!.code : status, message: failure!.message };
    listener({ type: 'finished', sessionId: session.id, turnId, outcome });
    return outcome;
  }

  /**
   * `message.receiving`: handlers may rewrite the message (content, attachments, metadata)
   * before anything is stored, or drop it, which rejects the turn with `MessageDroppedError`.
   */
  private async receiving(request: TurnRequest): Promise<TurnRequest> {
    const attachments = request.attachments ?? [];
    const metadata = request.metadata ?? {};
    const received = await this.deps.hooks.modify('message.receiving', {
      channel: request.channel,
      accountId: request.accountId,
      sessionId: request.session.id,
      agentId: request.session.agentId,
      content: request.content,
      attachments,
      metadata,
    });
    if (received.drop !== undefined) {
      this.deps.logger.info('a message.receiving handler dropped an inbound message', { channel: request.channel, sessionId: request.session.id, reason: received.drop });
      throw new MessageDroppedError(request.channel, received.drop);
    }
    if (received.content === request.content && received.attachments === attachments && received.metadata === metadata) return request;
    return { ...request, content: received.content, attachments: received.attachments, metadata: received.metadata };
  }

  /**
   * The turn ended without storing an answer: a `system` record says so, naming the inbound
   * message, so the stored conversation shows which message went unanswered and why (stored
   * messages never change, so the mark is a record of its own). The next turn sends such
   * messages once, marked, instead of merging them into its own (`agent.unanswered_messages`).
   * A store that fails here only loses the record: the runtime also tells unanswered messages by
   * what follows them.
   */
  private async markUnanswered(sessions: SessionStore, sessionId: string, turnId: string, inbound: Message, status: TurnOutcome['status'], failure: { code: string; message: string }): Promise<void> {
    try {
      await sessions.appendMessage({
        sessionId,
        role: 'system',
        content: `No answer was given to message ${inbound.id}: ${status === 'error' ? `the turn failed (${failure.code})` : status === 'cancelled' ? 'the turn was cancelled' : 'the turn was cut off by shutdown'}.`,
        metadata: { turn_id: turnId, unanswered: inbound.id, ended_by: status, error_code: status === 'error' ? failure.code : status },
      });
    } catch (error) {
      this.deps.logger.warn('could not record that a message went unanswered', { sessionId, turnId, error: (error as Error).message });
    }
  }

  private async storeReply(
    sessions: SessionStore,
    sessionId: string,
    turnId: string,
    transcript: TurnTranscript,
    status: TurnOutcome['status'],
    failure: { code: string; message: string } | undefined,
    silent: boolean,
  ): Promise<Message | undefined> {
    if (transcript.text === '' && transcript.toolCalls.length === 0) return undefined;
    const metadata: Record<string, unknown> = {
      turn_id: turnId,
      ...(transcript.provider && { provider: transcript.provider, model: transcript.model }),
      usage: { input_tokens: transcript.inputTokens, output_tokens: transcript.outputTokens },
      // Earlier messages that had got no answer: sent along with this turn's (or left out).
      ...(transcript.unanswered && { unanswered: { message_ids: transcript.unanswered.messageIds, included: transcript.unanswered.included } }),
      ...(status !== 'done' && { incomplete: true, ended_by: status, error_code: failure?.code }),
      ...(silent && { silent: true }),
    };
    return sessions.appendMessage({
      sessionId,
      role: 'assistant',
      content: transcript.text,
      toolCalls: transcript.toolCalls,
      toolResults: transcript.toolResults,
      metadata,
    });
  }
}

function record(transcript: TurnTranscript, event: AgentEvent): void {
  switch (event.type) {
    case 'unanswered':
      transcript.unanswered = { messageIds: event.messageIds, included: event.included };
      break;
    case 'text_delta':
      transcript.text += event.text;
      break;
    case 'tool_call':
      transcript.toolCalls.push(event.call);
      break;
    case 'tool_result':
      transcript.toolResults.push({ callId: event.callId, content: event.content, isError: event.isError });
      break;
    case 'usage':
      transcript.provider = event.provider;
      transcript.model = event.model;
      transcript.inputTokens += event.usage.inputTokens;
      transcript.outputTokens += event.usage.outputTokens;
      break;
    case 'done':
      // The runtime's own account of the answer wins over the deltas we pieced together.
      if (event.text !== '') transcript.text = event.text;
      break;
    default:
      break;
  }
}
