/**
 * `@nexus/plugin-sdk/provider`: what provider plugins (`anthropic`, `openai`, or a third party's)
 * mapping SDK failures to `ProviderError`s, the `doctor --probe` check, URL redaction and tool
 * input parsing. It lives in the agent plugin because the agent owns the `llm` section these
 * helpers read and the failover chain that consumes what they produce; provider plugins import
 * it from here (plain code, no plugin dependency: nothing here binds or keeps state).
 */
export { configuredEntries, type ProbeTarget } from './configured-entries.js';
export { mapProviderFailure, type ApiFailure, type FailureContext, type SdkFailures } from './failure-mapping.js';
export { ModelsProbe, type ModelsProbeSpec, type ProbeRequestOptions } from './models-probe.js';
export { parseToolInput } from './tool-input.js';
export { redactUrl, scrubCredentials } from './url-redaction.js';
export { durationMs as llmDurationMs, readLlmSettings, splitProviderModel, type FallbackSetting, type LlmSettings, type ProviderEntrySettings } from './llm-settings.js';
