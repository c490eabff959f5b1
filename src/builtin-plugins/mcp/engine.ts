/**
 * The MCP engine's whole surface, for the plugin entry (phase 2), the benchmark and the
 * conformance script. Not the plugin entry itself: that is `index.ts`, once it exists.
 */
export * from './bridge/index.js';
export * from './config/index.js';
export * from './connections/index.js';
export * from './server/index.js';
