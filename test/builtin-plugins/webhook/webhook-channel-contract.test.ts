import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelHealths, ChannelInbounds, ChannelLifecycles, ChannelOutbounds, ConversationResolvers } from '@nexus/plugin-sdk';
import { describeChannelContract, type ChannelUnderTest } from '@nexus/plugin-sdk/channel';
import { postSigned, SECRET, startReceiver, startWebhook } from './webhook-test-kit.js';

/**
 * The webhook channel under the SDK's channel contract suite, the one a third-party channel runs:
 * the "platform" is an integrator, posting signed messages in and receiving replies at its
 * callback URL (which answers 429 with retry-after when told to play a rate limit).
 */
async function openWebhook(): Promise<ChannelUnderTest> {
  const receiver = await startReceiver();
  const setup = await startWebhook(
    { accounts: { acme: { secret: SECRET, callback_url: receiver.url } }, retry: { attempts: 3, initial_delay_ms: 20, max_delay_ms: 100 } },
    { start: false },
  );
  let sent = 0;
  const get = <T>(token: Parameters<typeof setup.kernel.contributions.get<T>>[0]) => setup.kernel.contributions.get(token, 'webhook');
  return {
    channel: 'webhook',
    lifecycle: await get(ChannelLifecycles),
    inbound: await get(ChannelInbounds),
    outbound: await get(ChannelOutbounds),
    health: await get(ChannelHealths),
    conversation: await get(ConversationResolvers),
    platform: {
      accountId: 'acme',
      targetFor: (conversation) => `acme:${conversation}`,
      async deliver(message) {
        const body = JSON.stringify({ message_id: message.id, conversation_id: message.conversation, sender_id: message.senderId, content: message.text });
        // An integrator signs every request afresh; a redelivery too, so each gets its own timestamp.
        const answer = await postSigned(setup.url, 'acme', body, { timestamp: String(Math.floor(Date.now() / 1000) - sent++) });
        if (answer.status >= 300) throw new Error(`the webhook answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      },
      async received(target) {
        const conversation = target.slice('acme:'.length);
        return receiver.calls
          .filter((call) => call.status < 300)
          .map((call) => JSON.parse(call.body) as { conversation_id: string; content: string })
          .filter((body) => body.conversation_id === conversation)
          .map((body) => body.content);
      },
      rateLimitNext: () => receiver.respondNext(429, { 'retry-after': '1' }),
    },
    close: () => setup.kernel.stop(),
  };
}

describeChannelContract('webhook', openWebhook, { describe, it, expect, beforeEach, afterEach });
