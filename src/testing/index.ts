/**
 * `nexus/testing`: the host's side of `@nexus/plugin-sdk/testing`, which loads it by name. Plugin
 * tests import the SDK's kit, never this module.
 */
export { startTestHost } from './test-host.js';
export { verifyPluginContract } from '../kernel/testing/verify-contract.js';
