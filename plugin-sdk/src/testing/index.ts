/**
 * `@nexus/plugin-sdk/testing`: testing a plugin the way the host runs it. `MemoryLogger` and the
 * context factories are plain code; `verifyPluginContract` (and the test host) run the plugin in
 * the real host, which a plugin's tests get as the `nexus` package (a dev dependency).
 */
export { MemoryLogger, type LogEntry } from './memory-logger.js';
export { verifyPluginContract, type ContractReport, type PluginUnderTest } from './host-kit.js';
