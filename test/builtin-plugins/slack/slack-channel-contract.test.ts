import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeChannelContract, type ChannelUnderTest } from '@nexus/plugin-sdk/channel';
import { SLACK_MESSAGE_LIMIT } from '../../../src/builtin-plugins/slack/engine/index.js';
import { slackTs, startFakeSlack } from '../../fixtures/platforms/slack/index.js';
import { startSlackPlugin } from './slack-plugin-kit.js';

/**
 * The Slack plugin under the SDK's channel contract suite: the platform is a fake Slack speaking
 * the Web API and Socket Mode on 127.0.0.1. Conversations are DMs (one session per DM), and a
 * message's id is its ts, so a redelivery is the same event sent again.
 */
async function openSlack(): Promise<ChannelUnderTest> {
  const slack = await startFakeSlack();
  const setup = await startSlackPlugin({ slack, start: false });
  const channelOf = (conversation: string) => `D${conversation.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
  const tsOf = new Map<string, string>();
  return {
    channel: 'slack',
    lifecycle: setup.lifecycle,
    inbound: setup.inbound,
    outbound: setup.outbound,
    health: setup.health,
    conversation: setup.conversation,
    platform: {
      accountId: 'main',
      targetFor: (conversation) => `main:${channelOf(conversation)}`,
      async deliver(message) {
        if (!tsOf.has(message.id)) tsOf.set(message.id, slackTs(1_700_000_000 + tsOf.size, tsOf.size + 1));
        const event = slack.message({ text: message.text, user: message.senderId, channel: channelOf(message.conversation), channel_type: 'im', ts: tsOf.get(message.id)! });
        const delivered = slack.deliver(event);
        // A stopped channel never acks (Slack holds the event for the next connection), so the
        // wait for the ack is bounded; a running one acks at once.
        await Promise.race([delivered.acked, new Promise((resolve) => setTimeout(resolve, 1_000).unref())]);
      },
      async received(target) {
        const channel = target.slice('main:'.length);
        return slack.posts.filter((post) => post.method === 'chat.postMessage' && post.channel === channel).map((post) => post.text);
      },
      maxMessageLength: SLACK_MESSAGE_LIMIT,
      rateLimitNext: (seconds) => slack.rateLimit('chat.postMessage', seconds),
    },
    close: async () => {
      await setup.kernel.stop();
      await slack.close();
    },
  };
}

describeChannelContract('slack', openSlack, { describe, it, expect, beforeEach, afterEach });
