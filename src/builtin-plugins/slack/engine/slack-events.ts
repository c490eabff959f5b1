/** The parts of Slack's Events API payloads the engine reads. */

export interface SlackFileInfo {
  readonly id?: string;
  readonly name?: string;
  readonly title?: string;
  readonly mimetype?: string;
  readonly size?: number;
  readonly url_private?: string;
  readonly url_private_download?: string;
  readonly mode?: string;
}

export interface SlackEvent {
  readonly type: string;
  readonly subtype?: string;
  readonly channel?: string;
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  readonly parent_user_id?: string;
  readonly files?: readonly SlackFileInfo[];
}

/** The `event_callback` inside an `events_api` envelope. */
export interface SlackEventCallback {
  readonly team_id?: string;
  readonly api_app_id?: string;
  readonly event_id?: string;
  readonly event?: SlackEvent;
  readonly authorizations?: readonly { readonly user_id?: string; readonly is_bot?: boolean }[];
}

/** A user's message the engine hands on: its required fields are known to be there. */
export type UserMessageEvent = SlackEvent & { readonly channel: string; readonly user: string; readonly ts: string };

/** Subtypes that are a person saying something; every other subtype (joins, edits, bots…) is ignored. */
const USER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

/**
 * True for a person's new message (`message` or `app_mention`). Bot messages are ignored, the
 * bot's own posts above all: answering them would loop.
 */
export function isUserMessage(event: SlackEvent | undefined): event is UserMessageEvent {
  if (!event || (event.type !== 'message' && event.type !== 'app_mention')) return false;
  if (!USER_SUBTYPES.has(event.subtype) || event.bot_id !== undefined) return false;
  return typeof event.channel === 'string' && typeof event.user === 'string' && typeof event.ts === 'string';
}

/** `dm` for a direct message, `group` for a group DM, `channel` for public and private channels. */
export function chatType(event: UserMessageEvent): 'dm' | 'group' | 'channel' {
  // app_mention events carry no channel_type; a DM's channel id starts with D.
  const type = event.channel_type ?? (event.channel.startsWith('D') ? 'im' : 'channel');
  return type === 'im' ? 'dm' : type === 'mpim' ? 'group' : 'channel';
}

/**
 * Slack's message text as plain text for the model: the bot's own mention removed, links as
 * `label (url)`, and the HTML entities Slack escapes (&amp; &lt; &gt;) decoded.
 */
export function plainText(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replace(new RegExp(`<@${botUserId}(\\|[^>]*)?>`, 'g'), '') : text;
  return withoutBot
    .replace(/<((?:https?|mailto):[^|>]+)\|([^>]+)>/g, (_m, url: string, label: string) => (label === url ? url : `${label} (${url})`))
    .replace(/<((?:https?|mailto):[^>]+)>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** Whether the text @mentions the bot. */
export function mentionsBot(text: string, botUserId: string | undefined): boolean {
  return botUserId !== undefined && new RegExp(`<@${botUserId}(\\|[^>]*)?>`).test(text);
}
