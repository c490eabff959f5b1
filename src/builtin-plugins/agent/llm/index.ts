export { cancellationOf, type Cancellation } from './cancellation.js';
export { createModelClient } from './failover-client.js';
export { isNoProviderError, NoProviderError, type NoProviderKind } from './no-provider-error.js';
export type { FailoverPolicy, ModelClient, ModelClientOptions, ModelClientTime, ModelRequest, ModelStreamEvent } from './model-client.js';
export { ProviderSetupCheck } from './provider-setup-check.js';
