/**
 * The Discord channel's engine (`@discordjs/ws` gateway, `@discordjs/rest` + `@discordjs/core`
 * API). The plugin entry next to this folder (`../index.ts`) binds the channel
 * contracts to `DiscordAccount`: lifecycle → start/stop, inbound → onMessage, outbound →
 * `sender.send` (typing: `sender.startTyping`), health → status/probe, login → login,
 * conversation → `discordConversationId`.
 */
export { DiscordAccount, type DiscordAccountOptions, type DiscordAccountStatus } from './discord-account.js';
export { DISCORD_ACCOUNT_SCHEMA } from './discord-account-schema.js';
export { discordAccountSettings, DISCORD_API_BASE_URL, type DiscordAccountSettings, type DmPolicy, type GroupPolicy } from './discord-settings.js';
export { DiscordSender, DISCORD_MESSAGE_LIMIT, TYPING_RENEW_MS, type TypingHandle } from './discord-sender.js';
export { discordConversationId, discordTarget, type DiscordScope, type DiscordTarget } from './discord-target.js';
export { checkDiscordLogin, type DiscordIdentity, type DiscordLoginReport } from './discord-login.js';
export { DiscordChannelError, type DiscordErrorCode } from './discord-errors.js';
export { DISCORD_INTENTS, DISCORD_TIMING, type ConnectionState, type DiscordConnectionStatus, type DiscordTiming } from './discord-timing.js';
export type { Chunker, Deduplicator, MarkdownFormatter, RateGate, Wait } from '@nexus/plugin-sdk/channel';
