import type { Attachment } from './channel.js';
import type { PromptContext, RenderedPromptSection } from './prompt.js';

/** Where a turn runs: every turn-scoped hook value carries it. Handlers cannot change it. */
export interface TurnScope {
  readonly sessionId: string;
  readonly agentId: string;
  readonly channel: string;
}

/**
 * The modifying hooks: each handler gets the value the previous one returned and returns the
 * value to pass on (return it unchanged, or spread it with your changes). Handlers run in
 * priority order (lower first). Only the fields documented as changeable are read back; the
 * rest describe the call. A handler that vetoes (`deny`, `drop`, `cancel`) ends the chain: no
 * later handler can lift a veto.
 */
export interface ModifyingHooks {
  /**
   * A tool call the model asked for, before its input is validated and the tool runs. Change
   * `input` to rewrite it (the rewritten input is validated against the tool's schema), or set
   * `deny` to a reason: the tool does not run and the model gets the reason as an error result.
   */
  'tool.before': TurnScope & {
    readonly tool: string;
    readonly callId: string;
    readonly input: unknown;
    readonly deny?: string;
  };
  /** A tool call's result, before the model sees it. Change `result` to rewrite it. */
  'tool.after': TurnScope & {
    readonly tool: string;
    readonly callId: string;
    /** The input the tool ran with (after `tool.before`). */
    readonly input: unknown;
    readonly result: { readonly content: string; readonly isError: boolean };
  };
  /**
   * An inbound message (from a channel or the API), before it is stored and a turn runs. Change
   * `content` or `metadata` to rewrite it, or set `drop` to a reason: nothing is stored, no turn
   * runs, and the sender is told it was not accepted.
   */
  'message.receiving': {
    readonly channel: string;
    readonly accountId: string;
    readonly sessionId: string;
    readonly agentId: string;
    readonly content: string;
    readonly attachments: readonly Attachment[];
    readonly metadata: Readonly<Record<string, unknown>>;
    readonly drop?: string;
  };
  /**
   * A reply about to go out through a channel (the stored answer stays as the model wrote it).
   * Change `content` to rewrite what is sent, or set `cancel` to a reason: nothing is sent.
   */
  'message.sending': {
    readonly channel: string;
    readonly accountId: string;
    /** The session the text comes from; absent for a plugin's delivery that names none (an alert). */
    readonly sessionId?: string;
    /** The conversation the reply goes to (the channel's own id for it). */
    readonly target: string;
    /** The stored reply's id; absent for a plugin's delivery of text that is not a stored message. */
    readonly messageId?: string;
    readonly content: string;
    readonly cancel?: string;
  };
  /**
   * The system prompt's rendered sections, in order, before they are joined. Return another
   * list to add (`{ name, pluginId, text }`), remove or reorder sections.
   */
  'prompt.build': {
    readonly context: Omit<PromptContext, 'signal'>;
    readonly sections: readonly RenderedPromptSection[];
  };
  /**
   * A turn about to call the model. Set `provider` (an `llm.providers` id) and/or `model` to pick
   * what answers it; the failover chain (`llm.fallbacks`) still follows. Both start as what the
   * session's stored agent asks for, if anything.
   */
  'turn.before': TurnScope & {
    /** The inbound message text. */
    readonly message: string;
    readonly metadata: Readonly<Record<string, unknown>>;
    readonly provider?: string;
    readonly model?: string;
  };
}
