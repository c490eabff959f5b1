import type { ChannelOutbound, DeliveryReceipt, OutboundMessage } from '@nexus/plugin-sdk';
import type { DiscordAccountEntry } from './discord-accounts.js';

/** Sends each reply through the account it names, counting what was sent and what failed. */
export class DiscordOutbound implements ChannelOutbound {
  constructor(private readonly accounts: ReadonlyMap<string, DiscordAccountEntry>) {}

  async send(message: OutboundMessage, options: { readonly signal: AbortSignal }): Promise<DeliveryReceipt> {
    options.signal.throwIfAborted();
    const entry = discordAccount(this.accounts, message.accountId);
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
export function discordAccount(accounts: ReadonlyMap<string, DiscordAccountEntry>, accountId: string): DiscordAccountEntry {
  const entry = accounts.get(accountId);
  if (entry) return entry;
  const known = [...accounts.keys()];
  throw new Error(`no Discord account "${accountId}" is configured (channels.discord.accounts has ${known.length > 0 ? known.join(', ') : 'none'})`);
}
