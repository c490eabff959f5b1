/**
 * The Slack channel's engine (Socket Mode with `@slack/socket-mode`, replies with
 * `@slack/web-api`). The plugin entry next to this folder (`../index.ts`) binds the channel
 * contracts to `SlackAccount`: lifecycle → start/stop, inbound → onMessage, outbound →
 * `sender.send`, health → status/probe, login → login, conversation → `slackConversationId`.
 */
export { SlackAccount, type SlackAccountOptions, type SlackAccountStatus } from './slack-account.js';
export { SLACK_ACCOUNT_SCHEMA } from './slack-account-schema.js';
export { slackAccountSettings, SLACK_API_BASE_URL, type DmPolicy, type GroupPolicy, type SlackAccountSettings } from './slack-settings.js';
export { SlackSender, SLACK_MESSAGE_LIMIT } from './slack-sender.js';
export { slackConversationId, slackTarget, type SlackScope, type SlackTarget } from './slack-target.js';
export { checkSlackLogin, type SlackIdentity, type SlackLoginReport } from './slack-login.js';
export { SlackApiError, type SlackErrorCode } from './slack-api-errors.js';
export { SLACK_TIMING, type ConnectionState, type SlackConnectionStatus, type SlackTiming } from './slack-connection-loop.js';
export type { Chunker, Deduplicator, MarkdownFormatter, RateGate, Wait } from '@nexus/plugin-sdk/channel';
