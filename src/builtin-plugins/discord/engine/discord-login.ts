import { API, ApplicationFlags } from '@discordjs/core';
import { REST } from '@discordjs/rest';
import { discordError } from './discord-errors.js';
import type { DiscordAccountSettings } from './discord-settings.js';

/** Who the bot token belongs to, from `GET /users/@me` and `GET /applications/@me`. */
export interface DiscordIdentity {
  readonly userId: string;
  readonly username: string;
  readonly applicationId?: string;
  /** `enabled`, `limited` (fine below 100 servers) or `disabled` (messages arrive without text). */
  readonly messageContent?: 'enabled' | 'limited' | 'disabled';
}

/** The outcome of `channels login discord`: `ok` when nothing in `problems` stops the bot from working. */
export interface DiscordLoginReport {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
  readonly identity?: DiscordIdentity;
  readonly latencyMs?: number;
}

export interface DiscordLoginDeps {
  readonly accountId: string;
  readonly settings: DiscordAccountSettings;
  readonly timeoutMs: number;
  readonly now: () => number;
}

const MESSAGE_CONTENT_OFF =
  'the Message Content intent is off for this bot, so messages would arrive without their text (and the gateway refuses it with close 4014): enable Bot → Privileged Gateway Intents → Message Content Intent in the Developer Portal';

/**
 * Checks an account's credentials and says exactly what is wrong: the token (missing, with a
 * "Bot " prefix, rejected), the Message Content intent (off, or limited), the gateway's session
 * start budget, or an API that cannot be reached.
 */
export async function checkDiscordLogin(deps: DiscordLoginDeps): Promise<DiscordLoginReport> {
  const { accountId, settings } = deps;
  const field = `channels.discord.accounts.${accountId}.bot_token`;
  const shape = tokenShape(settings.bot_token, field);
  if (shape) return { ok: false, problems: [shape], warnings: [] };

  const rest = new REST({ api: settings.api_base_url, retries: 0, timeout: deps.timeoutMs, rejectOnRateLimit: () => true }).setToken(settings.bot_token);
  const api = new API(rest);
  const context = (route: string) => ({ route, field, apiUrl: settings.api_base_url });
  const problems: string[] = [];
  const warnings: string[] = [];
  try {
    const started = deps.now();
    let user;
    try {
      user = await api.users.getCurrent();
    } catch (error) {
      return { ok: false, problems: [discordError(error, context('GET /users/@me')).message], warnings };
    }
    const latencyMs = deps.now() - started;
    if (!user.bot) problems.push(`${field} belongs to a user account, not a bot; use the token under Bot in the Developer Portal (user tokens break Discord's terms)`);

    let identity: DiscordIdentity = { userId: user.id, username: user.username };
    try {
      const application = await api.applications.getCurrent();
      const flags = application.flags ?? 0;
      const messageContent = flags & ApplicationFlags.GatewayMessageContent ? 'enabled' : flags & ApplicationFlags.GatewayMessageContentLimited ? 'limited' : 'disabled';
      identity = { ...identity, applicationId: application.id, messageContent };
      if (messageContent === 'disabled') problems.push(MESSAGE_CONTENT_OFF);
      if (messageContent === 'limited') warnings.push('the Message Content intent is limited: it works in fewer than 100 servers; beyond that the bot needs Discord to approve it');
    } catch (error) {
      problems.push(discordError(error, context('GET /applications/@me')).message);
    }

    try {
      const gateway = await api.gateway.getBot();
      const { remaining, reset_after: resetAfter } = gateway.session_start_limit;
      if (remaining === 0) problems.push(`Discord allows no more gateway sessions for this bot until ${Math.ceil(resetAfter / 60_000)} min from now (session start limit used up)`);
      if (gateway.shards > 1) warnings.push(`Discord recommends ${gateway.shards} shards for this bot; one connection per account serves bots in fewer than 2,500 servers`);
    } catch (error) {
      problems.push(discordError(error, context('GET /gateway/bot')).message);
    }
    return { ok: problems.length === 0, problems, warnings, identity, latencyMs };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

function tokenShape(token: string, field: string): string | undefined {
  if (token === '') return `${field} is not set; it takes the bot token from the Developer Portal (Bot → Reset Token)`;
  if (/^Bot\s/i.test(token)) return `${field} starts with "Bot "; give the token alone (the prefix is added when it is sent)`;
  if (/\s/.test(token)) return `${field} contains spaces or line breaks; copy the token again`;
  return undefined;
}
