import type { ChannelOutbound, DeliveryReceipt, OutboundMessage } from '@nexus/plugin-sdk';
import type { SlackAccountEntry } from './slack-accounts.js';

/** Sends each reply through the account it names, counting what was sent and what failed. */
export class SlackOutbound implements ChannelOutbound {
  constructor(private readonly accounts: ReadonlyMap<string, SlackAccountEntry>) {}

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    options.signal.throwIfAborted();
    const entry = slackAccount(this.accounts, message.accountId);
    try {
      const receipt = await entry.engine.sender.send(message, options);
      entry.counters.sent += 1;
      return receipt;
    } catch (error) {
      entry.counters.failed += 1;
      throw error;
    }
  }
}

/** The account an outbound message or a reply names; the error lists the configured ones. */
export function slackAccount(accounts: ReadonlyMap<string, SlackAccountEntry>, accountId: string): SlackAccountEntry {
  const entry = accounts.get(accountId);
  if (entry) return entry;
  const known = [...accounts.keys()];
  throw new Error(`no Slack account "${accountId}" is configured (channels.slack.accounts has ${known.length > 0 ? known.join(', ') : 'none'})`);
}
