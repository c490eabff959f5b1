/** The store contract suite: what a storage backend must do, for any test runner shaped like Vitest or Jest. */
export { describeStoreContract, type StoreUnderTest } from './store-contract-suite.js';
export { SteppingClock } from './stepping-clock.js';
export type { ContractAssertion, ContractExpect, ContractTestApi } from '../../contract-suite/contract-test-api.js';
