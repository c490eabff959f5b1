import type { API, APIAllowedMentions } from '@discordjs/core';
import type { ChannelOutbound, Clock, DeliveryReceipt, Logger, OutboundMessage } from '@nexus/plugin-sdk';
import { discordError, type DiscordCallContext } from './discord-errors.js';
import { discordTarget, type DiscordTarget } from './discord-target.js';
import type { Chunker, MarkdownFormatter, RateGate } from '@nexus/plugin-sdk/channel';

/** Discord refuses message content over 2,000 characters. */
export const DISCORD_MESSAGE_LIMIT = 2_000;

/** Discord shows "typing…" for 10 s after each call; it is renewed before it lapses. */
export const TYPING_RENEW_MS = 8_000;

/**
 * Replies mention nobody: model output that says @everyone, a role or a user must not ping
 * them, and the person replied to is not pinged either.
 */
const NO_PINGS: APIAllowedMentions = { parse: [], replied_user: false };

export interface DiscordSenderDeps {
  readonly api: API;
  readonly gate: RateGate;
  readonly chunk: Chunker;
  readonly format: MarkdownFormatter;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly maxRateLimitRetries: number;
  readonly tokenField: string;
  readonly apiUrl: string;
  readonly typingEveryMs: number;
  readonly onRateLimited?: (route: string, retryAfterMs: number) => void;
}

/** Stops a typing indicator. */
export interface TypingHandle {
  stop(): void;
}

/**
 * Replies to Discord. `send` is the channel's outbound capability (Markdown in, split at 2,000
 * characters, the first part a reply to the message it answers); `post` and `edit` are the
 * single-message operations a streaming draft calls to write a reply and edit it in place;
 * `startTyping` shows "typing…" while a turn runs.
 */
export class DiscordSender implements ChannelOutbound {
  readonly messageLimit = DISCORD_MESSAGE_LIMIT;

  constructor(private readonly deps: DiscordSenderDeps) {}

  /** Markdown in Discord's dialect, split into messages within the limit. */
  render(markdown: string): readonly string[] {
    return this.deps.chunk(this.deps.format(markdown), this.messageLimit);
  }

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    const target = discordTarget(message.target, message.metadata);
    let first: string | undefined;
    for (const part of this.render(message.content)) {
      const id = await this.post(first === undefined ? target : { channelId: target.channelId }, part, options.signal);
      first ??= id;
    }
    return { ...(first ? { externalId: first } : {}), deliveredAt: this.deps.clock.now() };
  }

  /** Posts one message (within the limit); returns its id. */
  async post(target: DiscordTarget, content: string, signal: AbortSignal): Promise<string> {
    const message = await this.call(`POST /channels/${target.channelId}/messages`, `messages:${target.channelId}`, signal, () =>
      this.deps.api.channels.createMessage(
        target.channelId,
        { content, allowed_mentions: NO_PINGS, ...(target.replyTo ? { message_reference: { message_id: target.replyTo, fail_if_not_exists: false } } : {}) },
        { signal },
      ),
    );
    return message.id;
  }

  /** Replaces the content of a message the bot posted. */
  async edit(target: DiscordTarget, messageId: string, content: string, signal: AbortSignal): Promise<void> {
    await this.call(`PATCH /channels/${target.channelId}/messages/${messageId}`, `edit:${target.channelId}`, signal, () =>
      this.deps.api.channels.editMessage(target.channelId, messageId, { content, allowed_mentions: NO_PINGS }, { signal }),
    );
  }

  /** Deletes a message the bot posted (a partial reply whose turn failed). */
  async remove(target: DiscordTarget, messageId: string, signal: AbortSignal): Promise<void> {
    await this.call(`DELETE /channels/${target.channelId}/messages/${messageId}`, `delete:${target.channelId}`, signal, () => this.deps.api.channels.deleteMessage(target.channelId, messageId, { signal }));
  }

  /** Shows "typing…" in the channel until `stop`, renewing it every `typingEveryMs`; failures only log. */
  startTyping(target: DiscordTarget): TypingHandle {
    const controller = new AbortController();
    const type = () =>
      this.deps.api.channels.showTyping(target.channelId, { signal: controller.signal }).catch((error: unknown) => {
        if (!controller.signal.aborted) this.deps.logger.debug(`could not show typing in Discord channel ${target.channelId}: ${(error as Error).message}`);
      });
    void type();
    const timer = setInterval(() => void type(), this.deps.typingEveryMs);
    timer.unref();
    return {
      stop: () => {
        clearInterval(timer);
        controller.abort();
      },
    };
  }

  /** One REST call, waiting out 429s as Discord asks, up to `maxRateLimitRetries` times. */
  private async call<T>(route: string, key: string, signal: AbortSignal, run: () => Promise<T>): Promise<T> {
    const context: DiscordCallContext = { route, field: this.deps.tokenField, apiUrl: this.deps.apiUrl };
    for (let attempt = 0; ; attempt++) {
      await this.deps.gate.acquire(key, signal);
      try {
        return await run();
      } catch (error) {
        const failure = discordError(error, context);
        if (failure.code !== 'rate_limited' || attempt >= this.deps.maxRateLimitRetries || signal.aborted) throw failure;
        const waitMs = failure.retryAfterMs ?? 1000;
        this.deps.gate.penalize(key, waitMs);
        this.deps.onRateLimited?.(route, waitMs);
        this.deps.logger.warn(`Discord rate-limited ${route}; waiting ${waitMs} ms as it asked (attempt ${attempt + 1} of ${this.deps.maxRateLimitRetries})`);
      }
    }
  }
}
