import type { WebClient } from '@slack/web-api';
import type { ChannelOutbound, Clock, DeliveryReceipt, Logger, OutboundMessage } from '@nexus/plugin-sdk';
import type { Chunker, MarkdownFormatter, RateGate } from '@nexus/plugin-sdk/channel';
import type { KnownThreads } from './known-threads.js';
import { slackApiError, type SlackCallContext } from './slack-api-errors.js';
import { slackTarget, type SlackTarget } from './slack-target.js';

/**
 * Slack takes up to 40,000 characters of `text` but a message that long is unreadable; replies
 * are split at 4,000 (Slack's own guidance for a single message).
 */
export const SLACK_MESSAGE_LIMIT = 4_000;

export interface SlackSenderDeps {
  readonly web: WebClient;
  readonly gate: RateGate;
  readonly chunk: Chunker;
  readonly format: MarkdownFormatter;
  readonly threads: KnownThreads;
  readonly logger: Logger;
  readonly clock: Clock;
  /** How many 429s in a row one call waits out before it fails. */
  readonly maxRateLimitRetries: number;
  readonly botTokenField: string;
  readonly apiUrl: string;
  /** Told about every 429 (metrics; the kit's limiter may slow down). */
  readonly onRateLimited?: (method: string, retryAfterMs: number) => void;
}

/**
 * Replies to Slack. `send` is the channel's outbound capability (Markdown in, split and posted
 * in the right thread); `post` and `edit` are the single-message operations a streaming draft
 * calls to write a reply and then edit it in place as text arrives (`chat.update`).
 *
 * There is no typing indicator: Slack has none for bots in Socket Mode (`user_typing` was an
 * RTM message, and `assistant.threads.setStatus` works only in AI-assistant threads, with the
 * `assistant:write` scope). A streaming reply is the sign of life instead: the draft posts a
 * placeholder at once and edits it as text arrives.
 */
export class SlackSender implements ChannelOutbound {
  readonly messageLimit = SLACK_MESSAGE_LIMIT;

  constructor(private readonly deps: SlackSenderDeps) {}

  /** Markdown → Slack mrkdwn, split into messages within the limit. */
  render(markdown: string): readonly string[] {
    return this.deps.chunk(this.deps.format(markdown), this.messageLimit);
  }

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    const target = slackTarget(message.target, message.metadata);
    const parts = this.render(message.content);
    let first: string | undefined;
    for (const part of parts) {
      const ts = await this.post(target, part, options.signal);
      first ??= ts;
    }
    return { ...(first ? { externalId: `${target.channel}:${first}` } : {}), deliveredAt: this.deps.clock.now() };
  }

  /** Posts one message (already in mrkdwn, within the limit); returns its ts. */
  async post(target: SlackTarget, text: string, signal: AbortSignal): Promise<string> {
    const result = await this.call('chat.postMessage', signal, () =>
      this.deps.web.chat.postMessage({ channel: target.channel, text, ...(target.threadTs ? { thread_ts: target.threadTs } : {}) }),
    );
    if (target.threadTs) this.deps.threads.remember(target.channel, target.threadTs);
    return String(result.ts);
  }

  /** Replaces the text of a message the bot posted. */
  async edit(target: SlackTarget, ts: string, text: string, signal: AbortSignal): Promise<void> {
    await this.call('chat.update', signal, () => this.deps.web.chat.update({ channel: target.channel, ts, text }));
  }

  /** Deletes a message the bot posted (a partial reply whose turn failed). */
  async remove(target: SlackTarget, ts: string, signal: AbortSignal): Promise<void> {
    await this.call('chat.delete', signal, () => this.deps.web.chat.delete({ channel: target.channel, ts }));
  }

  /**
   * Adds or removes the bot's reaction on a message: Slack has no typing indicator for bots, so
   * a reaction on the message being answered shows that a reply is on its way. Already there
   * (or already gone) counts as done.
   */
  async react(channel: string, ts: string, name: string, action: 'add' | 'remove', signal: AbortSignal): Promise<void> {
    try {
      await this.call(`reactions.${action}`, signal, () => (action === 'add' ? this.deps.web.reactions.add({ channel, timestamp: ts, name }) : this.deps.web.reactions.remove({ channel, timestamp: ts, name })));
    } catch (error) {
      const code = (error as { platformError?: string }).platformError;
      if (code === 'already_reacted' || code === 'no_reaction') return;
      throw error;
    }
  }

  /** One Web API call, waiting out 429s as Slack asks, up to `maxRateLimitRetries` times. */
  private async call<T>(method: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    const context: SlackCallContext = { method, token: 'bot token', field: this.deps.botTokenField, apiUrl: this.deps.apiUrl };
    for (let attempt = 0; ; attempt++) {
      await this.deps.gate.acquire(method, signal);
      try {
        return await run();
      } catch (error) {
        const failure = slackApiError(error, context);
        if (failure.code !== 'rate_limited' || attempt >= this.deps.maxRateLimitRetries || signal.aborted) throw failure;
        const waitMs = failure.retryAfterMs ?? 1000;
        this.deps.gate.penalize(method, waitMs);
        this.deps.onRateLimited?.(method, waitMs);
        this.deps.logger.warn(`Slack rate-limited ${method}; waiting ${waitMs} ms as it asked (attempt ${attempt + 1} of ${this.deps.maxRateLimitRetries})`);
      }
    }
  }
}
