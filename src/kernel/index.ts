export { ConfigFileError, configFromData, emptyConfig, loadConfigFile, parseConfigText, setPluginEnabled, type LoadedConfig } from './config/index.js';
export { hostPaths, readHostVersion } from './host/index.js';
export { didYouMean } from './schema/index.js';
export { Kernel, KernelStartError, type StartReport } from './kernel.js';
export { DEFAULT_TIMEOUTS, defaultHome, type KernelOptions, type KernelTimeouts } from './kernel-options.js';
export { MemoryLogger, PinoLogger, type LogEntry, type LogLevel } from './logging/index.js';
export { MANIFEST_FILE, type PluginManifest } from './manifest/index.js';
export type { PluginRecord, PluginState, PluginSummary } from './plan/index.js';
export { PluginUnavailableError } from './runtime/plugin-error.js';
