import { setTimeout as sleep } from 'node:timers/promises';
import { API, GatewayDispatchEvents, type GatewayDispatchPayload, type GatewayMessageCreateDispatchData } from '@discordjs/core';
import { REST } from '@discordjs/rest';
import type { IIdentifyThrottler } from '@discordjs/ws';
import type { ChannelProbeResult, Clock, InboundMessage, Logger } from '@nexus/plugin-sdk';
import { chunkText, KeyedSerialQueue, markdownToDiscord, RecentIds, RetryAfterGate, type Chunker, type Deduplicator, type MarkdownFormatter, type RateGate, type Wait } from '@nexus/plugin-sdk/channel';
import { downloadAttachments } from './discord-attachments.js';
import { ChannelDirectory } from './discord-channels.js';
import { DiscordGatewayLoop } from './discord-gateway-loop.js';
import { DISCORD_INTENTS, DISCORD_TIMING, type DiscordConnectionStatus, type DiscordTiming } from './discord-timing.js';
import { discordInboundMessage, isUserMessage } from './discord-inbound.js';
import { checkDiscordLogin, type DiscordLoginReport } from './discord-login.js';
import { DiscordSender, TYPING_RENEW_MS } from './discord-sender.js';
import type { DiscordAccountSettings } from './discord-settings.js';

export interface DiscordAccountOptions {
  readonly accountId: string;
  readonly settings: DiscordAccountSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Splits rendered replies; default: the kit's `chunkText` (paragraph and code-fence boundaries). */
  readonly chunk?: Chunker;
  /** Markdown to Discord's dialect; default: the kit's `markdownToDiscord`. */
  readonly format?: MarkdownFormatter;
  /** Paces calls (the plugin passes the kit's `PacedRateGate`, a token bucket per account); default: honour Discord's 429 retry_after only. */
  readonly rateGate?: RateGate;
  /** The restart-proof de-duplication (the plugin passes the kit's `ReceiptDeduplicator`); default: the kit's in-memory `RecentIds`, for this process. */
  readonly dedup?: Deduplicator;
  /** Waits for backoff and retry-after; tests pass one that records and returns at once. */
  readonly wait?: Wait;
  readonly random?: () => number;
  /** For attachment downloads. */
  readonly fetch?: typeof fetch;
  readonly timing?: Partial<DiscordTiming>;
  /** Immediate retries of REST calls that failed on the network or with a 5xx (default 3). */
  readonly restRetries?: number;
  readonly restTimeoutMs?: number;
  /** Paces IDENTIFYs; tests pass one that does not wait Discord's 5 s between them. */
  readonly identifyThrottler?: IIdentifyThrottler;
  /** 429s one outbound call waits out before failing (default 3). */
  readonly maxRateLimitRetries?: number;
  readonly onRateLimited?: (route: string, retryAfterMs: number) => void;
  readonly typingEveryMs?: number;
  /**
   * The policy decision (the plugin passes the kit's `ChannelAccessGate`: dm_policy, group_policy, allow_from,
   * require_mention, pairing): false keeps the message from the handlers and counts it as
   * refused. It sees the metadata (chat_type, mentioned, group_id…) but no attachments yet.
   * Without it every message is handed on.
   */
  readonly admit?: (message: InboundMessage) => boolean | Promise<boolean>;
}

export interface DiscordAccountStatus extends DiscordConnectionStatus {
  /** Messages received (before policy), refused by policy, and duplicates dropped. */
  readonly received: number;
  readonly refused: number;
  readonly duplicates: number;
  /** Messages that were not a person's, or that had neither text nor attachments. */
  readonly ignored: number;
  readonly botUserId?: string;
}

type Handler = (message: InboundMessage) => Promise<void>;

const defaultWait: Wait = (ms, signal) => sleep(ms, undefined, { signal });

/**
 * One Discord bot: its gateway session, inbound messages normalised and de-duplicated, replies
 * and typing, and its login check. The plugin binds the channel contracts to these methods.
 */
export class DiscordAccount {
  readonly accountId: string;
  readonly sender: DiscordSender;
  private readonly loop: DiscordGatewayLoop;
  private readonly channels: ChannelDirectory;
  private readonly handlers = new Set<Handler>();
  private readonly delivery = new KeyedSerialQueue();
  private readonly dedup: Deduplicator;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private readonly admit: (message: InboundMessage) => boolean | Promise<boolean>;
  private stopping = new AbortController();
  private botUserId: string | undefined;
  private warnedEmpty = false;
  private received = 0;
  private refused = 0;
  private duplicates = 0;
  private ignored = 0;

  constructor(private readonly options: DiscordAccountOptions) {
    const { accountId, settings, clock, logger } = options;
    this.accountId = accountId;
    this.fetchFn = options.fetch ?? fetch;
    this.timeoutMs = options.restTimeoutMs ?? 15_000;
    this.dedup = options.dedup ?? new RecentIds();
    this.admit = options.admit ?? (() => true);
    const wait = options.wait ?? defaultWait;
    const tokenField = `channels.discord.accounts.${accountId}.bot_token`;
    // 429s come back as errors; the sender waits them out through the rate gate.
    const rest = new REST({ api: settings.api_base_url, retries: options.restRetries ?? 3, timeout: this.timeoutMs, rejectOnRateLimit: () => true }).setToken(settings.bot_token);
    const api = new API(rest);
    this.channels = new ChannelDirectory(api, logger);
    this.sender = new DiscordSender({
      api,
      gate: options.rateGate ?? new RetryAfterGate(clock, wait),
      chunk: options.chunk ?? ((text, limit) => chunkText(text, { limit })),
      format: options.format ?? markdownToDiscord,
      clock,
      logger,
      maxRateLimitRetries: options.maxRateLimitRetries ?? 3,
      tokenField,
      apiUrl: settings.api_base_url,
      typingEveryMs: options.typingEveryMs ?? TYPING_RENEW_MS,
      ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
    });
    this.loop = new DiscordGatewayLoop({
      token: settings.bot_token,
      rest,
      intents: DISCORD_INTENTS,
      tokenField,
      apiUrl: settings.api_base_url,
      clock,
      logger,
      wait,
      random: options.random ?? Math.random,
      timing: { ...DISCORD_TIMING, ...options.timing },
      ...(options.identifyThrottler ? { identifyThrottler: options.identifyThrottler } : {}),
      onDispatch: (payload) => this.onDispatch(payload),
      onReady: (data) => void (this.botUserId = data.user.id),
    });
  }

  /** Starts connecting in the background; `status()` tells how it goes. */
  async start(): Promise<void> {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.loop.start();
  }

  /** Closes the gateway session and stops reconnecting. Messages being handled finish on their own. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
  }

  onMessage(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  status(): DiscordAccountStatus {
    return { ...this.loop.status(), received: this.received, refused: this.refused, duplicates: this.duplicates, ignored: this.ignored, ...(this.botUserId ? { botUserId: this.botUserId } : {}) };
  }

  /** Judges the connection's frame age now and replaces it if stale; true when it was. */
  checkLiveness(): boolean {
    return this.loop.checkLiveness();
  }

  /** `channels login discord`: the token, the Message Content intent, the session budget, reachability. */
  login(): Promise<DiscordLoginReport> {
    return checkDiscordLogin({ accountId: this.accountId, settings: this.options.settings, timeoutMs: this.timeoutMs, now: () => this.options.clock.now() });
  }

  /** `doctor --probe` / `channels status --probe`: the login check plus the live connection. */
  async probe(): Promise<ChannelProbeResult> {
    const report = await this.login();
    const status = this.status();
    const live =
      status.state !== 'connected'
        ? `${status.state}${status.error ? ` (${status.error})` : ''}`
        : status.healthy
          ? `connected, last frame ${status.inboundAgeMs ?? 0} ms ago`
          : `connected but silent for ${status.inboundAgeMs ?? 0} ms (a zombie connection; it is being replaced)`;
    const message = [`discord/${this.accountId}: ${live}`, ...report.problems, ...report.warnings].join('; ');
    return { healthy: report.ok && status.healthy, ...(report.latencyMs !== undefined ? { latencyMs: report.latencyMs } : {}), message };
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.delivery.drained();
  }

  private onDispatch(payload: GatewayDispatchPayload): void {
    switch (payload.t) {
      case GatewayDispatchEvents.MessageCreate:
        return this.onMessageCreate(payload.d);
      case GatewayDispatchEvents.ThreadCreate:
      case GatewayDispatchEvents.ThreadUpdate:
      case GatewayDispatchEvents.ChannelCreate:
      case GatewayDispatchEvents.ChannelUpdate:
        return this.channels.remember(payload.d);
      case GatewayDispatchEvents.ThreadDelete:
      case GatewayDispatchEvents.ChannelDelete:
        return this.channels.forget(payload.d.id);
      case GatewayDispatchEvents.ThreadListSync:
        for (const thread of payload.d.threads) this.channels.remember(thread);
        return;
      case GatewayDispatchEvents.GuildCreate:
        for (const channel of [...(payload.d.channels ?? []), ...(payload.d.threads ?? [])]) this.channels.remember(channel);
        return;
      default:
        return;
    }
  }

  private onMessageCreate(message: GatewayMessageCreateDispatchData): void {
    if (!isUserMessage(message, this.botUserId)) {
      this.ignored += 1;
      return;
    }
    if (message.content === '' && message.attachments.length === 0) {
      this.ignored += 1;
      if (message.guild_id !== undefined && !this.warnedEmpty) {
        this.warnedEmpty = true;
        this.options.logger.warn('a Discord server message arrived without text: the Message Content intent is probably off (Developer Portal → Bot → Privileged Gateway Intents)');
      }
      return;
    }
    const receivedAt = this.options.clock.now();
    this.delivery.run(message.channel_id, async () => {
      if (!(await this.dedup.firstSeen(`discord:${this.accountId}:${message.id}`))) {
        this.duplicates += 1;
        this.options.logger.debug(`dropped a duplicate Discord message ${message.id}`);
        return;
      }
      this.received += 1;
      const signal = this.stopping.signal;
      const channel = message.guild_id !== undefined ? await this.channels.lookup(message.channel_id, signal) : undefined;
      const context = { accountId: this.accountId, botUserId: this.botUserId, channel, receivedAt };
      // Policy sees the message before any file is fetched: nothing is downloaded for a refused sender.
      if (!(await this.admit(discordInboundMessage(message, { attachments: [], skipped: [] }, context)))) {
        this.refused += 1;
        return;
      }
      const files = message.attachments.length
        ? await downloadAttachments(message.attachments, { maxBytes: this.options.settings.max_attachment_bytes, timeoutMs: this.timeoutMs, fetch: this.fetchFn, signal })
        : { attachments: [], skipped: [] };
      const inbound = discordInboundMessage(message, files, context);
      const results = await Promise.allSettled([...this.handlers].map((handle) => handle(inbound)));
      for (const result of results) {
        if (result.status === 'rejected') this.options.logger.error(`a Discord message handler failed: ${(result.reason as Error)?.message ?? String(result.reason)}`, { messageId: inbound.externalId });
      }
    }, (error) => this.options.logger.error(`a Discord message could not be handed on: ${(error as Error)?.message ?? String(error)}`));
  }
}
