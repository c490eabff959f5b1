import type { ChannelHealth, ChannelInbound, ChannelLifecycle, ChannelOutbound, ConversationResolver, InboundMessage } from '../../contracts/index.js';
import type { ContractTestApi } from '../../contract-suite/contract-test-api.js';

/** A user's message as the platform would deliver it. The same `id` twice is a redelivery. */
export interface PlatformMessage {
  readonly id: string;
  readonly senderId: string;
  /** The chat, channel or thread it was written in. */
  readonly conversation: string;
  readonly text: string;
}

/**
 * The platform's side, played by a local fake that speaks its real wire format (a Bot API server,
 * a signed HTTP client, a socket): the suite never looks inside the plugin.
 */
export interface FakePlatform {
  /** The account (bot, endpoint) the channel serves. */
  readonly accountId: string;
  /** Where a reply to `conversation` goes, in the channel's terms (`OutboundMessage.target`). */
  targetFor(conversation: string): string;
  /** Makes the platform deliver a message to the channel; resolves once the platform sent it. */
  deliver(message: PlatformMessage): Promise<void>;
  /** The texts the platform received for `target`, in order. */
  received(target: string): Promise<readonly string[]>;
  /** The platform's longest message, in characters; absent when it has none. */
  readonly maxMessageLength?: number;
  /**
   * The `InboundMessage.senderId` the channel reports for a `PlatformMessage.senderId`, for
   * platforms whose user ids are not free text (Telegram's are integers); the same when absent.
   */
  senderIdFor?(senderId: string): string;
  /** Makes the next send fail as the platform does when rate limited (429 with a retry-after of `seconds`). */
  rateLimitNext?(seconds: number): void;
}

/** A channel, started by nothing yet, and the fake platform it talks to. */
export interface ChannelUnderTest {
  /** The channel id its capabilities are bound under. */
  readonly channel: string;
  readonly lifecycle: ChannelLifecycle;
  readonly inbound: ChannelInbound;
  readonly outbound: ChannelOutbound;
  readonly health?: ChannelHealth;
  readonly conversation?: ConversationResolver;
  readonly platform: FakePlatform;
  close(): Promise<void>;
}

/** How long the suite waits for something asynchronous (a delivery, a retry) before it fails. */
const WAIT_MS = 10_000;

/**
 * What every channel must do, whatever its platform: deliver each message once with its ids,
 * stop delivering when stopped, send replies whole (split to the platform's limit, nothing lost),
 * honour a rate limit, refuse an aborted send, and report its state. `open` gives each test a
 * fresh channel and platform; `runner` is the test runner's own `describe`, `it`, `expect`,
 * `beforeEach` and `afterEach` (Vitest or Jest).
 */
export function describeChannelContract(name: string, open: () => Promise<ChannelUnderTest>, runner: ContractTestApi): void {
  const { describe, it, expect, beforeEach, afterEach } = runner;
  describe(`${name} channel contract`, () => {
    let current: ChannelUnderTest | undefined;
    let received: InboundMessage[] = [];
    const opened = (): ChannelUnderTest => {
      if (!current) throw new Error('no channel is open: open() did not finish before the test ran');
      return current;
    };
    const start = async (): Promise<ChannelUnderTest> => {
      const channel = opened();
      channel.inbound.onMessage(async (message) => void received.push(message));
      await channel.lifecycle.start(AbortSignal.timeout(WAIT_MS));
      return channel;
    };
    const message = (id: string, text = `hello ${id}`, conversation = 'conversation-1'): PlatformMessage => ({ id, senderId: 'user-1', conversation, text });
    const reply = (channel: ChannelUnderTest, content: string, conversation = 'conversation-1') =>
      channel.outbound.send({ channel: channel.channel, accountId: channel.platform.accountId, target: channel.platform.targetFor(conversation), content }, { signal: AbortSignal.timeout(WAIT_MS) });

    beforeEach(async () => {
      received = [];
      current = await open();
    });
    afterEach(async () => {
      await current?.lifecycle.stop();
      await current?.close();
      current = undefined;
    });

    it('hands a platform message to its handler once started, with the ids a session needs', async () => {
      const channel = await start();
      await channel.platform.deliver(message('m-1', 'hello there'));
      await until(() => received.length > 0, 'the message reached the handler');
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({ channel: channel.channel, accountId: channel.platform.accountId, senderId: channel.platform.senderIdFor?.('user-1') ?? 'user-1', content: 'hello there' });
      expect(received[0]!.externalId.length).toBeGreaterThan(0);
      expect(typeof received[0]!.receivedAt).toBe('number');
    });

    it('hands a redelivered message over once', async () => {
      const channel = await start();
      await channel.platform.deliver(message('m-1'));
      await channel.platform.deliver(message('m-1'));
      await channel.platform.deliver(message('m-2'));
      await until(() => received.some((m) => m.content === 'hello m-2'), 'the second message reached the handler');
      expect(received.map((m) => m.content)).toEqual(['hello m-1', 'hello m-2']);
    });

    it('hands nothing over once stopped', async () => {
      const channel = await start();
      await channel.lifecycle.stop();
      await channel.platform.deliver(message('m-1')).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(received).toEqual([]);
      // Stopping again is harmless.
      await channel.lifecycle.stop();
    });

    it('sends a reply to the conversation it names', async () => {
      const channel = await start();
      const receipt = await reply(channel, 'the answer');
      expect(typeof receipt.deliveredAt).toBe('number');
      expect(await channel.platform.received(channel.platform.targetFor('conversation-1'))).toEqual(['the answer']);
      expect(await channel.platform.received(channel.platform.targetFor('conversation-2'))).toEqual([]);
    });

    it('splits a reply longer than the platform allows, within its limit and losing nothing', async () => {
      const channel = await start();
      const limit = channel.platform.maxMessageLength;
      if (limit === undefined) return; // a platform without a limit takes any reply whole
      const words = Array.from({ length: Math.ceil((limit * 2.5) / 8) }, (_, i) => `word${String(i).padStart(3, '0')}`);
      await reply(channel, words.join(' '));
      const parts = await channel.platform.received(channel.platform.targetFor('conversation-1'));
      expect(parts.length).toBeGreaterThan(1);
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
      expect(parts.join(' ').split(/\s+/).filter(Boolean)).toEqual(words);
    });

    it('waits out a rate limit and then delivers, once', async () => {
      const channel = await start();
      if (!channel.platform.rateLimitNext) return; // the fake cannot play it
      channel.platform.rateLimitNext(1);
      await reply(channel, 'after the limit');
      expect(await channel.platform.received(channel.platform.targetFor('conversation-1'))).toEqual(['after the limit']);
    });

    it('refuses a send whose signal is already aborted, sending nothing', async () => {
      const channel = await start();
      const aborted = AbortSignal.abort(new Error('the turn was cancelled'));
      const target = channel.platform.targetFor('conversation-1');
      let failed = false;
      await channel.outbound.send({ channel: channel.channel, accountId: channel.platform.accountId, target, content: 'never' }, { signal: aborted }).catch(() => (failed = true));
      expect(failed).toBe(true);
      expect(await channel.platform.received(target)).toEqual([]);
    });

    it('reports itself connected while started and not once stopped', async () => {
      const channel = await start();
      if (!channel.health) return;
      expect(channel.health.status().connected).toBe(true);
      await channel.lifecycle.stop();
      expect(channel.health.status().connected).toBe(false);
    });

    it('puts messages of one conversation in one session, and of another in another', async () => {
      const channel = await start();
      if (!channel.conversation) return;
      await channel.platform.deliver(message('m-1', 'first', 'conversation-1'));
      await channel.platform.deliver(message('m-2', 'second', 'conversation-1'));
      await channel.platform.deliver(message('m-3', 'elsewhere', 'conversation-2'));
      await until(() => received.length === 3, 'three messages reached the handler');
      // Order is kept within a conversation, not across them: find each message by its text.
      const id = (text: string) => channel.conversation!.conversationId(received.find((m) => m.content === text)!);
      expect(id('first')).toBe(id('second'));
      expect(id('elsewhere')).not.toBe(id('first'));
    });
  });
}

async function until(predicate: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
