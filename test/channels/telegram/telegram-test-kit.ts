import { vi } from 'vitest';
import type { InboundMessage } from '@nexus/plugin-sdk';
import { MemoryLogger } from '../../../src/kernel/testing/index.js';
import { PollerRegistry, readTelegramAccount, TelegramAccount, type TelegramTuning, type UpdateOffsetStore } from '../../../src/builtin-plugins/telegram/engine.js';
import { TelegramBotApiFake, type BotState, type FakeOptions } from '../../fixtures/platforms/telegram/index.js';
import { ManualTimers } from '../../sdk/channel-kit/manual-timers.js';

/** The offset port over a map: a restart is a new account given the same store. */
export class MapOffsetStore implements UpdateOffsetStore {
  readonly saved = new Map<string, number>();
  async load(botId: string): Promise<number | undefined> {
    return this.saved.get(botId);
  }
  async save(botId: string, nextOffset: number): Promise<void> {
    this.saved.set(botId, nextOffset);
  }
}

/**
 * Retries an assertion until it holds: for what arrives over real sockets. Generous, because
 * the machine may be busy; it never asserts how long anything took.
 */
export function eventually<T>(assertion: () => T): Promise<T> {
  return vi.waitFor(assertion, { timeout: 15_000, interval: 10 });
}

/** Saves, then never finishes saving until released: a process that dies right after the save. */
export class StuckAfterSaveOffsetStore extends MapOffsetStore {
  private release!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.release = resolve));
  override async save(botId: string, nextOffset: number): Promise<void> {
    await super.save(botId, nextOffset);
    await this.gate;
  }
  unstick(): void {
    this.release();
  }
}

/** Short polls so a stop never waits long; time-driven behaviour runs on the manual clock. */
export const TEST_TUNING: Partial<TelegramTuning> = {
  pollTimeoutSeconds: 1,
  stallGraceMs: 5_000,
  requestTimeoutMs: 10_000,
  backoff: { initialMs: 1_000, maxMs: 8_000 },
  conflictBackoff: { initialMs: 2_000, maxMs: 8_000 },
  random: () => 0.5,
};

export interface TelegramTest {
  readonly fake: TelegramBotApiFake;
  readonly bot: BotState;
  readonly timers: ManualTimers;
  readonly logger: MemoryLogger;
  readonly pollers: PollerRegistry;
  readonly offsets: MapOffsetStore;
  /** Every message any account handed on, in order. */
  readonly received: InboundMessage[];
  /** A new account (a new process, when given the same offsets), subscribed to `received`. */
  account(overrides?: Record<string, unknown>, options?: { accountId?: string; tuning?: Partial<TelegramTuning>; offsets?: UpdateOffsetStore; pollers?: PollerRegistry }): TelegramAccount;
  /** Stops every account made here and the fake. */
  close(): Promise<void>;
}

export async function startTelegramTest(options: FakeOptions & { botUsername?: string } = {}): Promise<TelegramTest> {
  const fake = await TelegramBotApiFake.start(options);
  const bot = fake.addBot({ username: options.botUsername ?? 'nexus_helper_bot' });
  const timers = new ManualTimers();
  const logger = new MemoryLogger();
  const pollers = new PollerRegistry();
  const offsets = new MapOffsetStore();
  const received: InboundMessage[] = [];
  const accounts: TelegramAccount[] = [];
  return {
    fake,
    bot,
    timers,
    logger,
    pollers,
    offsets,
    received,
    account(overrides = {}, accountOptions = {}) {
      const accountId = accountOptions.accountId ?? 'main';
      const config = readTelegramAccount(accountId, { bot_token: bot.token, api_base_url: fake.apiRoot, ...overrides });
      const account = new TelegramAccount({
        accountId,
        config,
        pollers: accountOptions.pollers ?? pollers,
        offsets: accountOptions.offsets ?? offsets,
        timers,
        logger,
        tuning: { ...TEST_TUNING, ...accountOptions.tuning },
      });
      account.onMessage(async (message) => {
        received.push(message);
      });
      accounts.push(account);
      return account;
    },
    async close() {
      await Promise.all(accounts.map((a) => a.stop()));
      await fake.close();
    },
  };
}
