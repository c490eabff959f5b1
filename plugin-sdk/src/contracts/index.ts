/**
 * The public vocabulary of Nexus: tokens and interfaces, and the two helpers that create them.
 * This is the only host code plugins import (through `@nexus/plugin-sdk`).
 */
export * from './admin-status.js';
export * from './agent-runtime.js';
export * from './auth.js';
export * from './channel.js';
export * from './channel-pairings.js';
export * from './cli.js';
export * from './clock.js';
export * from './config.js';
export * from './config-schema.js';
export * from './contributions.js';
export * from './diagnostics.js';
export * from './doctor.js';
export * from './gateway.js';
export * from './history-compaction.js';
export * from './hooks.js';
export * from './host-status.js';
export * from './injection.js';
export * from './http.js';
export * from './inbound-receipts.js';
export * from './llm-provider.js';
export * from './logger.js';
export * from './metrics.js';
export * from './migrations.js';
export * from './plugin.js';
export * from './prompt.js';
export * from './safeguards.js';
export * from './sql.js';
export * from './stores.js';
export * from './tasks.js';
export * from './tokens.js';
export * from './tool.js';
export * from './turns.js';
