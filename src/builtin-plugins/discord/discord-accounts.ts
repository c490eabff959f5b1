import type { Clock, Logger, ServiceRegistry } from '@nexus/plugin-sdk';
import { createAccountEntries, type AccountPlatform, type ChannelTimers, type ConnectedAccountEntry } from '@nexus/plugin-sdk/channel';
import { DiscordAccount, discordTarget, type DiscordAccountSettings } from './engine/index.js';

/** How long a Discord message id is remembered: a RESUME replays missed events within minutes, so a day is ample. */
const DEDUP_WINDOW_MS = 24 * 60 * 60_000;

/**
 * Each account's pace for REST calls, under Discord's global 50 requests a second per bot; the
 * per-route limits (5 messages per 5 s in a channel) answer 429, waited out as Discord asks.
 */
const RATE = { ratePerSecond: 40, capacity: 50 };

/** How Discord is named in the kit's status and account errors. */
export const DISCORD: AccountPlatform = { label: 'Discord', id: 'discord', quietConnection: 'a zombie connection' };

/** One configured account: its engine, its access policy, and its counters. */
export type DiscordAccountEntry = ConnectedAccountEntry<DiscordAccountSettings, DiscordAccount>;

/** Builds an engine per configured account, with the kit's pacing, database-backed de-duplication and access policy. */
export function createDiscordAccounts(deps: { readonly accounts: ReadonlyMap<string, DiscordAccountSettings>; readonly clock: Clock; readonly logger: Logger; readonly services: ServiceRegistry }): { readonly entries: ReadonlyMap<string, DiscordAccountEntry>; readonly timers: ChannelTimers } {
  return createAccountEntries({
    ...deps,
    platform: DISCORD,
    rate: RATE,
    dedupWindowMs: DEDUP_WINDOW_MS,
    engine: (wiring) => new DiscordAccount(wiring),
    sendPairingCode: (engine, message, text, signal) => engine.sender.post(discordTarget('', message.metadata), text, signal),
    senderName: (message) => (typeof message.metadata?.discord_username === 'string' ? message.metadata.discord_username : undefined),
  });
}
