import type { Bot } from 'grammy';
import { accessPolicyOfSettings, backoffDelay, ChannelAccessGate, errorStatus, RecentIds, sleep, type ChannelTimers, type Deduplicator } from '@nexus/plugin-sdk/channel';
import type { ChannelPairingStore, ChannelProbeResult, DeliveryReceipt, InboundMessage, Logger, OutboundMessage, ReplyDraft } from '@nexus/plugin-sdk';
import { AccountActivity } from './account-activity.js';
import { botIdOf, type TelegramAccountConfig } from './account-config.js';
import { accountStatus, type TelegramAccountStatus } from './account-health.js';
import { createBot } from './api-client.js';
import { AttachmentFetcher } from './attachment-fetcher.js';
import { parseTarget } from './chat-target.js';
import { InboundDispatcher } from './inbound-dispatcher.js';
import { checkLogin, getMeFailure, type LoginReport } from './login-check.js';
import { LongPoller } from './long-poller.js';
import { MessagePoster } from './message-poster.js';
import type { PollerRegistry } from './poller-registry.js';
import type { UpdateOffsetStore } from './ports.js';
import { postPairingCode, telegramSenderName } from './pairing-code-reply.js';
import { openReplyDraft } from './reply-draft.js';
import { openReplyStream, type ReplyStream } from './reply-stream.js';
import { describeFailure } from './telegram-errors.js';
import { replyToOf, TelegramSender } from './telegram-sender.js';
import { tuningWith, type TelegramTuning } from './tuning.js';
import { startTyping } from './typing-indicator.js';
import { WebhookKeeper } from './webhook-keeper.js';
import { WebhookReceiver, type WebhookRequest, type WebhookResponse } from './webhook-receiver.js';
import { grammySignal } from './grammy-signal.js';

export interface TelegramAccountDeps {
  readonly accountId: string;
  readonly config: TelegramAccountConfig;
  /** Shared by every account the plugin runs: one consumer of updates per bot in the process. */
  readonly pollers: PollerRegistry;
  readonly offsets: UpdateOffsetStore;
  /** De-duplication (the plugin passes the kit's `ReceiptDeduplicator`); an in-process window of recent ids when not given. */
  readonly seen?: Deduplicator;
  readonly timers: ChannelTimers;
  readonly logger: Logger;
  readonly tuning?: Partial<TelegramTuning>;
  /** The channel name messages carry; `telegram`. */
  readonly channel?: string;
  /**
   * The access policy (dm_policy, group_policy, allow_from, require_mention) is enforced when
   * given, with pairing through this store; without it every message is handed on (engine tests).
   */
  readonly access?: { readonly pairings: () => Promise<ChannelPairingStore | undefined> };
}

interface Running {
  readonly controller: AbortController;
  readonly release: () => void;
  done: Promise<void>;
}

/**
 * One configured bot: its connection (long polling or webhook), inbound messages, outbound
 * replies (whole, streamed with edits, typing), health, probe and login check. Every part
 * shares one grammY bot whose calls are rate-limited and deadline-bound (api-client.ts).
 */
export class TelegramAccount {
  readonly id: string;
  private readonly tuning: TelegramTuning;
  private readonly bot: Bot;
  private readonly activity = new AccountActivity();
  private readonly dispatcher: InboundDispatcher;
  private readonly poster: MessagePoster;
  private readonly sender: TelegramSender;
  private readonly receiver: WebhookReceiver | undefined;
  private running: Running | undefined;

  constructor(private readonly deps: TelegramAccountDeps) {
    const { config, timers, accountId } = deps;
    this.id = accountId;
    this.tuning = tuningWith(deps.tuning);
    const logger = deps.logger.child({ channel: deps.channel ?? 'telegram', account: accountId });
    this.bot = createBot({ config, tuning: this.tuning, timers, activity: this.activity, logger }).bot;
    const context = { apiRoot: config.api_base_url, token: config.bot_token };
    const fetcher = new AttachmentFetcher({ api: this.bot.api, ...context, maxBytes: config.max_attachment_bytes, timers, timeoutMs: this.tuning.requestTimeoutMs });
    this.poster = new MessagePoster(this.bot.api, logger, accountId);
    const channel = deps.channel ?? 'telegram';
    const gate = deps.access
      ? new ChannelAccessGate({
          channel,
          accountId,
          policy: accessPolicyOfSettings(config),
          pairings: deps.access.pairings,
          senderName: telegramSenderName,
          sendPairingCode: async (message, text, code) => {
            await postPairingCode(this.poster, accountId, message, text, code);
            this.activity.counters.pairingCodesSent++;
          },
          logger,
        })
      : undefined;
    this.dispatcher = new InboundDispatcher({
      channel,
      accountId,
      activity: this.activity,
      seen: deps.seen ?? new RecentIds(10_000),
      fetcher,
      timers,
      logger,
      maxPending: this.tuning.maxPendingUpdates,
      maxAttachmentBytes: config.max_attachment_bytes,
      ...(gate ? { admit: (message: InboundMessage) => gate.admit(message) } : {}),
    });
    this.sender = new TelegramSender({ api: this.bot.api, poster: this.poster, accountId, ...context, activity: this.activity, timers });
    if (config.mode === 'webhook' && config.webhook_secret) {
      this.receiver = new WebhookReceiver({ accountId, secret: config.webhook_secret, activity: this.activity, timers, logger, accepting: () => this.running !== undefined, accept: (updates) => this.dispatcher.accept(updates) });
    }
  }

  get config(): TelegramAccountConfig {
    return this.deps.config;
  }

  get mode(): 'polling' | 'webhook' {
    return this.deps.config.mode;
  }

  /**
   * Claims the bot for this process, checks the token (a rejected one fails here, with the
   * reason), then receives in the background until `stop` or `signal`. An unreachable API does
   * not fail the start: the account keeps retrying and its status says why it is not healthy.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.running) return;
    const { config, accountId, timers } = this.deps;
    const release = this.deps.pollers.claim(botIdOf(config.bot_token), accountId);
    Object.assign(this.activity, { state: 'starting', startedAt: timers.now(), fatal: undefined, consecutiveFailures: 0, nextRetryAt: undefined });
    const controller = new AbortController();
    const running: Running = { controller, release, done: Promise.resolve() };
    this.running = running;
    try {
      await this.identify(controller.signal, false);
    } catch (error) {
      this.running = undefined;
      release();
      throw error;
    }
    signal.addEventListener('abort', () => void this.stop(), { once: true });
    const contact = this.activity.nextContact();
    running.done = this.receive(controller.signal).catch((error: Error) => {
      this.activity.state = 'failed';
      this.activity.fatal = `the receive loop ended unexpectedly: ${describeFailure(error, { apiRoot: config.api_base_url, token: config.bot_token })}`;
      this.deps.logger.error(`Telegram account ${accountId} stopped receiving: ${this.activity.fatal}`);
    });
    // Returns once the first poll (or webhook check) answered or failed, so status tells the truth.
    await Promise.race([contact, running.done, new Promise((resolve) => controller.signal.addEventListener('abort', resolve, { once: true }))]);
  }

  /** Stops receiving and releases the bot. Messages already queued are still handed on. */
  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    running.controller.abort(new Error('the Telegram account is stopping'));
    await running.done;
    this.dispatcher.abort();
    running.release();
    if (this.running === running) this.running = undefined;
    this.activity.state = 'stopped';
  }

  onMessage(handler: (message: InboundMessage) => Promise<void>): () => void {
    return this.dispatcher.onMessage(handler);
  }

  /** The session scope the inbound side put on the message: per chat, per forum topic. */
  conversationId(message: InboundMessage): string {
    const id = message.metadata?.conversation_id;
    if (typeof id !== 'string' || id === '') throw new Error(`Telegram message ${message.externalId} has no metadata.conversation_id; it did not come from the Telegram channel`);
    return id;
  }

  send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    return this.sender.send(message, options);
  }

  /** A reply streamed into one message edited in place (continued in new ones past 4096 characters). */
  openReplyStream(target: string, options: { readonly metadata?: Readonly<Record<string, unknown>>; readonly signal?: AbortSignal } = {}): ReplyStream {
    const chat = parseTarget(target, this.id);
    const replyTo = replyToOf({ ...(options.metadata ? { metadata: options.metadata } : {}) }, chat);
    const { config, timers, logger } = this.deps;
    return openReplyStream(
      { poster: this.poster, accountId: this.id, apiRoot: config.api_base_url, token: config.bot_token, activity: this.activity, timers, logger, editIntervalMs: this.tuning.editIntervalMs },
      chat,
      { ...(replyTo !== undefined ? { replyTo } : {}), ...(options.signal ? { signal: options.signal } : {}) },
    );
  }

  /**
   * The `replies` capability for one turn: typing until the first text, then one message edited
   * in place as the text grows (throttled), settled by `finish`, deleted by `abandon`.
   */
  openReplyDraft(context: { readonly inbound: InboundMessage; readonly target: string; readonly signal: AbortSignal }): ReplyDraft {
    const chat = parseTarget(context.target, this.id);
    const replyTo = replyToOf({ ...(context.inbound.metadata ? { metadata: context.inbound.metadata } : {}) }, chat);
    const { config, timers, logger } = this.deps;
    return openReplyDraft(
      { poster: this.poster, accountId: this.id, apiRoot: config.api_base_url, token: config.bot_token, activity: this.activity, timers, logger, editIntervalMs: this.tuning.editIntervalMs, startTyping: () => this.startTyping(context.target) },
      chat,
      { ...(replyTo !== undefined ? { replyTo } : {}), signal: context.signal },
    );
  }

  /** Shows "typing…" in the conversation until the returned function is called. */
  startTyping(target: string): () => void {
    const { timers, logger } = this.deps;
    return startTyping({ api: this.bot.api, timers, logger, accountId: this.id, intervalMs: this.tuning.typingIntervalMs, maxMs: this.tuning.typingMaxMs }, parseTarget(target, this.id));
  }

  /** Webhook mode: one request to the account's webhook route. */
  async handleWebhook(request: WebhookRequest): Promise<WebhookResponse> {
    if (!this.receiver) return { status: 404, body: JSON.stringify({ ok: false, error: `Telegram account ${this.id} runs in ${this.mode} mode; it takes no webhook requests` }) };
    return this.receiver.handle(request);
  }

  status(): TelegramAccountStatus {
    return accountStatus({ accountId: this.id, mode: this.mode, activity: this.activity, tuning: this.tuning, now: this.deps.timers.now(), pendingInbound: this.dispatcher.pending });
  }

  /** getMe, timed: whether the token works and the API answers. */
  async probe(options: { readonly signal: AbortSignal }): Promise<ChannelProbeResult> {
    const started = performance.now();
    try {
      const me = await this.bot.api.getMe(grammySignal(options.signal));
      const latencyMs = Math.round(performance.now() - started);
      return { healthy: true, latencyMs, message: `${this.id}: @${me.username} answered getMe in ${latencyMs} ms` };
    } catch (error) {
      return { healthy: false, message: `${this.id}: ${getMeFailure(error, this.id, this.deps.config)}` };
    }
  }

  checkLogin(options: { readonly signal: AbortSignal }): Promise<LoginReport> {
    return checkLogin({ api: this.bot.api, accountId: this.id, config: this.deps.config, pollers: this.deps.pollers, signal: options.signal });
  }

  /** getMe until it answers: the bot's id and username are needed to tell mentions. */
  private async identify(signal: AbortSignal, retry: boolean): Promise<void> {
    const { config, timers, logger } = this.deps;
    for (let attempt = 1; !this.activity.bot && !signal.aborted; attempt++) {
      try {
        const me = await this.bot.api.getMe(grammySignal(signal));
        this.activity.bot = { id: me.id, username: me.username, canJoinGroups: me.can_join_groups, canReadAllGroupMessages: me.can_read_all_group_messages };
        this.activity.recovered();
      } catch (error) {
        if (signal.aborted) return;
        const reason = getMeFailure(error, this.id, config);
        const status = errorStatus(error);
        if (status === 401 || status === 404) {
          Object.assign(this.activity, { fatal: reason, state: 'failed' });
          throw new Error(reason);
        }
        this.activity.failure(reason, timers.now());
        if (!retry) return;
        const delay = backoffDelay(attempt, { ...this.tuning.backoff, random: this.tuning.random });
        this.activity.state = 'backing_off';
        this.activity.nextRetryAt = timers.now() + delay;
        logger.warn(`Telegram getMe failed; retrying in ${delay} ms`, { error: reason });
        await sleep(timers, delay, signal).catch(() => undefined);
      }
    }
  }

  private async receive(signal: AbortSignal): Promise<void> {
    const { config, timers, logger, offsets } = this.deps;
    try {
      await this.identify(signal, true);
    } catch {
      return;
    }
    if (signal.aborted) return;
    this.activity.state = 'running';
    const common = { api: this.bot.api, apiRoot: config.api_base_url, token: config.bot_token, activity: this.activity, timers, tuning: this.tuning, logger };
    if (config.mode === 'polling') {
      await new LongPoller({ ...common, botId: botIdOf(config.bot_token), offsets, accept: (updates) => this.dispatcher.accept(updates) }).run(signal);
    } else {
      await new WebhookKeeper({ ...common, url: config.webhook_url!, secret: config.webhook_secret! }).run(signal);
    }
  }
}
