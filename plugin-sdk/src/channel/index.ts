/**
 * The channel kit (`@nexus/plugin-sdk/channel`): what every chat channel needs and no platform
 * library provides. Chunking to a message limit, Markdown to each platform's dialect, a token
 * bucket, retry classification, reconnect backoff, streamed replies edited in place, and the
 * access policy decision. It imports nothing but itself, so a plugin can use any part alone.
 */
export { accessPolicyOfSettings, accessPolicyProblems, decideAccess, type AccessDecision, type AccessPolicy, type AccessPolicySettings, type AccessRequest, type DenyReason, type DmPolicy, type GroupPolicy, type PolicyProblem } from './access-policy.js';
export { backoffDelay, type BackoffOptions } from './backoff.js';
export { chunkText, splitFirst, type ChunkOptions, type SplitResult } from './chunk-text.js';
export { classifyDeliveryError, errorStatus, retryAfterMs, type DeliveryErrorClass } from './delivery-errors.js';
export { escapeDiscordText, markdownToDiscord } from './discord-markdown.js';
export { DraftFailedError, EditingReplyDraft, type DraftTransport, type EditingReplyDraftOptions } from './editing-reply-draft.js';
export { KeyedSerialQueue } from './keyed-serial-queue.js';
export { parseBlocks, type Block } from './markdown-blocks.js';
export { inlineText, parseInline, type Inline } from './markdown-inline.js';
export { RecentIds } from './recent-ids.js';
export { escapeSlackText, markdownToSlackMrkdwn } from './slack-mrkdwn.js';
export { escapeTelegramHtml, markdownToTelegramHtml } from './telegram-html.js';
export { sleep, SleepAbortedError, systemTimers, type ChannelTimers, type TimerHandle } from './timers.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
export { describeChannelContract, type ChannelUnderTest, type FakePlatform, type PlatformMessage } from './contract/channel-contract-suite.js';
export type { ContractAssertion, ContractExpect, ContractTestApi } from '../contract-suite/contract-test-api.js';
export { downloadWithin, type DownloadRequest, type DownloadResult } from './bounded-download.js';
export { FrameAge, type FrameAgeOptions } from './frame-age.js';
export type { Chunker, Deduplicator, MarkdownFormatter, RateGate, Wait } from './channel-seams.js';
export { RetryAfterGate } from './retry-after-gate.js';
export { PacedRateGate } from './paced-rate-gate.js';
export { ReceiptDeduplicator, type ReceiptDeduplicatorOptions } from './receipt-deduplicator.js';
export { ChannelAccessGate, pairingCodeText, PAIRING_CODE_TTL_MS, type ChannelAccessGateOptions, type RefusalCounts } from './channel-access-gate.js';
export { StreamedReply, type ReplyTransport, type StreamedReplyOptions } from './streamed-reply.js';
export { channelProbeCheck, type LoginFindings } from './channel-doctor.js';
export { accountNamed, AccountsChannel, AccountsHealth, AccountsOutbound, type AccountEngine, type ConnectedAccountEngine, type AccountEntry, type AccountPlatform, type SendCounters } from './account-set.js';
export { createAccountEntries, type AccountEntriesOptions, type AccountWiring, type ConnectedAccountEntry } from './account-entries.js';
export { countedReplyDraft } from './counted-reply-draft.js';
export { ChannelRuntimeSlot } from './channel-runtime-slot.js';
export { defineChannelPlugin, type ChannelCapabilities, type ChannelPluginSpec } from './define-channel-plugin.js';
