export { API_CHANNEL, authorize, type Action, type Grant, type SessionRef } from './access-policy.js';
export { API_KEY_PREFIX, generateApiKey } from './api-key-format.js';
export { DEFAULT_MAX_MESSAGE_BYTES, readAuthSettings, readServerSettings, type AuthSettings, type ServerSettings } from './auth-settings.js';
export { ANONYMOUS_USER_ID, GatewayCredentialVerifier } from './credential-verifier.js';
export { CLOCK_SKEW_SECONDS, JwtCodec } from './jwt-codec.js';
export { isLoopbackHost } from './loopback.js';
export { MAX_SUBJECT_CHARS, subjectProblem } from './subject.js';
export { GatewayTokenIssuer, TokenIssueError } from './token-issuer.js';
