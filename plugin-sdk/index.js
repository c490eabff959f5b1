// The SDK is the host's own contracts module, so a plugin and the host share one copy of every
// token, helper and error class.
export * from '../dist/contracts/index.js';
