/**
 * `@nexus/plugin-sdk/prompt`: helpers for prompt sections. `PromptFiles` reads workspace files
 * with a short revalidation window and a visible truncation marker; `DerivedSettings` keeps what
 * a section worked out from its config until the config changes. `withoutHeartbeatAcks` leaves
 * heartbeat turns that found nothing out of the conversation a model is sent.
 */
export { PromptFiles, truncateForPrompt } from './prompt-file.js';
export { DerivedSettings } from './derived-settings.js';
export { decideSessionPrivacy, type PrivacyDecision, type SessionPrivacyInput } from './session-privacy.js';
export { HEARTBEAT_OK_TOKEN, isHeartbeatAck, withoutHeartbeatAcks } from './heartbeat-acks.js';
