/**
 * `@nexus/plugin-sdk/testing`: testing a plugin the way the host runs it. `MemoryLogger` and the
 * context factories are plain code; `verifyPluginContract` (and the test host) run the plugin in
 * the real host, which a plugin's tests get as the `nexus` package (a dev dependency).
 */
export { createCommandContext, createHttpRequest, createPromptContext, createToolContext } from './context-factories.js';
export { MemoryLogger, type LogEntry } from './memory-logger.js';
export { startTestHost, verifyPluginContract, type ContractReport, type PluginUnderTest } from './host-kit.js';
export type { ModelReply, ModelRequest, TestHost, TestHostOptions, TestRequest, TestResponse, TestTurn } from './test-host.js';
