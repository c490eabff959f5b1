/**
 * The Telegram channel engine, wired into the plugin by `index.ts` and `telegram-runtime.ts`.
 * Everything here imports only the channel kit, the contracts, grammY and files of this folder.
 */
export { AccountActivity, type AccountCounters, type AccountState, type BotIdentity } from './account-activity.js';
export { botIdOf, readTelegramAccount, TelegramConfigError, type TelegramAccountConfig } from './account-config.js';
export { accountStatus, staleAfterMs, toAccountStatus, toChannelStatus, type TelegramAccountStatus } from './account-health.js';
export { TELEGRAM_ACCOUNT_SCHEMA } from './account-schema.js';
export { BOT_API_DOWNLOAD_LIMIT, type SkippedAttachment } from './attachment-fetcher.js';
export { parseTarget, TargetError, type ChatTarget } from './chat-target.js';
export { checkLogin, getMeFailure, type LoginFinding, type LoginReport } from './login-check.js';
export { ALLOWED_UPDATES } from './long-poller.js';
export { PollerConflictError, PollerRegistry } from './poller-registry.js';
export type { UpdateOffsetStore } from './ports.js';
export type { ReplyStream } from './reply-stream.js';
export { TelegramAccount, type TelegramAccountDeps } from './telegram-account.js';
export { TelegramChannel, type TelegramChannelDeps } from './telegram-channel.js';
export { TelegramDeliveryError, TelegramTimeoutError } from './telegram-errors.js';
export { TELEGRAM_TEXT_LIMIT } from './telegram-sender.js';
export { DEFAULT_TUNING, type TelegramTuning } from './tuning.js';
export { conversationIdOf, normaliseUpdate, type AttachmentRef, type NormalisedMessage, type TelegramChatType } from './update-normaliser.js';
export { SECRET_HEADER, secretMatches, type WebhookRequest, type WebhookResponse } from './webhook-receiver.js';
