/** The plugin author's testing kit, re-exported as `@nexus/plugin-sdk/testing`. */
export { MemoryLogger, type LogEntry } from '../logging/index.js';
export { createTestKernel, type TestKernel, type TestKernelOptions } from './create-test-kernel.js';
export { verifyPluginContract, type ContractReport } from './verify-contract.js';
