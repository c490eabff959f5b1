import { setTimeout as sleep } from 'node:timers/promises';
import { WebClient, type RetryOptions } from '@slack/web-api';
import type { ChannelProbeResult, Clock, InboundMessage, Logger } from '@nexus/plugin-sdk';
import { chunkText, KeyedSerialQueue, markdownToSlackMrkdwn, RecentIds, RetryAfterGate, type Chunker, type Deduplicator, type MarkdownFormatter, type RateGate, type Wait } from '@nexus/plugin-sdk/channel';
import { KnownThreads } from './known-threads.js';
import { slackApiError } from './slack-api-errors.js';
import { SlackConnectionLoop, SLACK_TIMING, type SlackConnectionStatus, type SlackTiming } from './slack-connection-loop.js';
import { isUserMessage, type SlackEventCallback } from './slack-events.js';
import { downloadSlackFiles } from './slack-files.js';
import { replyThreadTs, slackInboundMessage, slackMessageKey } from './slack-inbound.js';
import { slackLibraryLogger } from './slack-library-logger.js';
import { checkSlackLogin, type SlackLoginReport } from './slack-login.js';
import { SlackSender } from './slack-sender.js';
import type { SlackAccountSettings } from './slack-settings.js';

export interface SlackAccountOptions {
  readonly accountId: string;
  readonly settings: SlackAccountSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Splits rendered replies; default: the kit's `chunkText` (paragraph and code-fence boundaries). */
  readonly chunk?: Chunker;
  /** Markdown to Slack's dialect; default: the kit's `markdownToSlackMrkdwn`. */
  readonly format?: MarkdownFormatter;
  /** Paces calls (the plugin passes the kit's `PacedRateGate`, a token bucket per account); default: honour Slack's 429 retry-after only. */
  readonly rateGate?: RateGate;
  /** The restart-proof de-duplication (the plugin passes the kit's `ReceiptDeduplicator`); default: the kit's in-memory `RecentIds`, for this process. */
  readonly dedup?: Deduplicator;
  /** Waits for backoff and retry-after; tests pass one that records and returns at once. */
  readonly wait?: Wait;
  /** Jitter source, [0, 1). */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  readonly timing?: Partial<SlackTiming>;
  /** Retries of Web API calls that failed on the network or with a 5xx; tests pass `{ retries: 0 }`. */
  readonly webRetryConfig?: RetryOptions;
  /** 429s one outbound call waits out before failing (default 3). */
  readonly maxRateLimitRetries?: number;
  readonly onRateLimited?: (method: string, retryAfterMs: number) => void;
  /**
   * The policy decision (the plugin passes the kit's `ChannelAccessGate`: dm_policy, group_policy, allow_from,
   * require_mention, pairing): false keeps the message from the handlers and counts it as
   * refused. It sees the metadata (chat_type, mentioned, in_bot_thread…) but no attachments yet.
   * Without it every message is handed on.
   */
  readonly admit?: (message: InboundMessage) => boolean | Promise<boolean>;
}

export interface SlackAccountStatus extends SlackConnectionStatus {
  /** Messages received (before policy), refused by policy, duplicates dropped, and events that were not a person's message. */
  readonly received: number;
  readonly refused: number;
  readonly duplicates: number;
  readonly ignored: number;
  readonly botUserId?: string;
}

type Handler = (message: InboundMessage) => Promise<void>;

const defaultWait: Wait = (ms, signal) => sleep(ms, undefined, { signal });

/**
 * One Slack account (one app in one workspace): its Socket Mode connection, inbound messages
 * normalised and de-duplicated, replies, and its login check. The plugin binds the channel
 * contracts to these methods.
 */
export class SlackAccount {
  readonly accountId: string;
  readonly sender: SlackSender;
  private readonly loop: SlackConnectionLoop;
  private readonly web: WebClient;
  private readonly handlers = new Set<Handler>();
  private readonly delivery = new KeyedSerialQueue();
  private readonly threads = new KnownThreads();
  private readonly dedup: Deduplicator;
  private readonly fetchFn: typeof fetch;
  private readonly timing: SlackTiming;
  private readonly admit: (message: InboundMessage) => boolean | Promise<boolean>;
  private stopping = new AbortController();
  private botUserId: string | undefined;
  private received = 0;
  private refused = 0;
  private duplicates = 0;
  private ignored = 0;

  constructor(private readonly options: SlackAccountOptions) {
    const { accountId, settings, clock, logger } = options;
    this.accountId = accountId;
    this.timing = { ...SLACK_TIMING, ...options.timing };
    this.fetchFn = options.fetch ?? fetch;
    this.dedup = options.dedup ?? new RecentIds();
    this.admit = options.admit ?? (() => true);
    const wait = options.wait ?? defaultWait;
    this.web = new WebClient(settings.bot_token, {
      slackApiUrl: settings.api_base_url,
      retryConfig: options.webRetryConfig ?? { retries: 3, factor: 2, minTimeout: 1_000, maxTimeout: 10_000 },
      // 429s come back as errors; the sender waits them out through the rate gate.
      rejectRateLimitedCalls: true,
      timeout: this.timing.httpTimeoutMs,
      fetch: this.fetchFn,
      logger: slackLibraryLogger(logger),
    });
    this.sender = new SlackSender({
      web: this.web,
      gate: options.rateGate ?? new RetryAfterGate(clock, wait),
      chunk: options.chunk ?? ((text, limit) => chunkText(text, { limit })),
      format: options.format ?? markdownToSlackMrkdwn,
      threads: this.threads,
      logger,
      clock,
      maxRateLimitRetries: options.maxRateLimitRetries ?? 3,
      botTokenField: `channels.slack.accounts.${accountId}.bot_token`,
      apiUrl: settings.api_base_url,
      ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
    });
    this.loop = new SlackConnectionLoop({
      appToken: settings.app_token,
      apiUrl: settings.api_base_url,
      appTokenField: `channels.slack.accounts.${accountId}.app_token`,
      fetch: this.fetchFn,
      clock,
      logger,
      wait,
      random: options.random ?? Math.random,
      timing: this.timing,
      onEvent: (body) => this.onEvent(body),
    });
  }

  /** Starts connecting in the background; `status()` tells how it goes. */
  async start(): Promise<void> {
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    void this.identify();
    this.loop.start();
  }

  /** Closes the connection (for sure) and stops reconnecting. Messages being handled finish on their own. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop.stop();
  }

  onMessage(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  status(): SlackAccountStatus {
    return {
      ...this.loop.status(),
      received: this.received,
      refused: this.refused,
      duplicates: this.duplicates,
      ignored: this.ignored,
      ...(this.botUserId ? { botUserId: this.botUserId } : {}),
    };
  }

  /** Judges the connection's frame age now and replaces it if stale; true when it was. */
  checkLiveness(): boolean {
    return this.loop.checkLiveness();
  }

  /** `channels login slack`: the tokens, scopes and API reachability, each problem with its fix. */
  login(): Promise<SlackLoginReport> {
    return checkSlackLogin({ accountId: this.accountId, settings: this.options.settings, logger: this.options.logger, fetch: this.fetchFn, timeoutMs: this.timing.httpTimeoutMs, now: () => this.options.clock.now() });
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
          : `connected but silent for ${status.inboundAgeMs ?? 0} ms (a half-open link; it is being replaced)`;
    const message = [`slack/${this.accountId}: ${live}`, ...report.problems, ...report.warnings].join('; ');
    return { healthy: report.ok && status.healthy, ...(report.latencyMs !== undefined ? { latencyMs: report.latencyMs } : {}), message };
  }

  /** Resolves when every message received so far has been handled. */
  idle(): Promise<void> {
    return this.delivery.drained();
  }

  /** Learns the bot's user id (for @mention detection) and reports a bad bot token early. */
  private async identify(): Promise<void> {
    try {
      const result = await this.web.auth.test();
      this.botUserId = typeof result.user_id === 'string' ? result.user_id : this.botUserId;
    } catch (error) {
      const failure = slackApiError(error, { method: 'auth.test', token: 'bot token', field: `channels.slack.accounts.${this.accountId}.bot_token`, apiUrl: this.options.settings.api_base_url });
      this.options.logger.error(`the Slack bot token does not work, so replies will fail: ${failure.message}`);
    }
  }

  private onEvent(body: SlackEventCallback): void {
    const event = body.event;
    this.botUserId ??= body.authorizations?.find((a) => a.is_bot)?.user_id;
    if (!isUserMessage(event) || event.user === this.botUserId) {
      this.ignored += 1;
      return;
    }
    const key = `slack:${this.accountId}:${slackMessageKey(event)}`;
    const receivedAt = this.options.clock.now();
    this.delivery.run(`${event.channel}:${replyThreadTs(event) ?? ''}`, async () => {
      if (!(await this.dedup.firstSeen(key))) {
        this.duplicates += 1;
        this.options.logger.debug(`dropped a duplicate Slack message ${slackMessageKey(event)}`);
        return;
      }
      this.received += 1;
      const { settings } = this.options;
      const context = { accountId: this.accountId, botUserId: this.botUserId, receivedAt, threads: this.threads };
      // Policy sees the message before any file is fetched: nothing is downloaded for a refused sender.
      if (!(await this.admit(slackInboundMessage(body, event, { attachments: [], skipped: [] }, context)))) {
        this.refused += 1;
        return;
      }
      const files = event.files?.length
        ? await downloadSlackFiles(event.files, {
            botToken: settings.bot_token,
            apiUrl: settings.api_base_url,
            maxBytes: settings.max_attachment_bytes,
            timeoutMs: this.timing.httpTimeoutMs,
            fetch: this.fetchFn,
            signal: this.stopping.signal,
          })
        : { attachments: [], skipped: [] };
      const message = slackInboundMessage(body, event, files, context);
      const results = await Promise.allSettled([...this.handlers].map((handle) => handle(message)));
      for (const result of results) {
        if (result.status === 'rejected') this.options.logger.error(`a Slack message handler failed: ${(result.reason as Error)?.message ?? String(result.reason)}`, { messageId: message.externalId });
      }
    }, (error) => this.options.logger.error(`a Slack message could not be handed on: ${(error as Error)?.message ?? String(error)}`));
  }
}
