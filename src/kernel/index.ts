export {
  activeProfileFile,
  ConfigFileError,
  configFromData,
  ConfigSourceConflict,
  emptyConfig,
  initProfile,
  listProfiles,
  loadConfigFile,
  overrideVariables,
  parseConfigText,
  profilePath,
  readActiveProfile,
  resolveConfigSource,
  setPluginEnabled,
  useProfile,
  PROFILE_PROVIDERS,
  type ConfigSource,
  type LoadedConfig,
} from './config/index.js';
export { yamlModule } from './lazy/index.js';
export { composeConfigSchema, renderConfigReference, resolveValues, type ResolvedConfig } from './settings/index.js';
export { hostPaths, readHostVersion, readRunning, reloadStatusFile, removePidFile, writeAtomically, writePidFile, type PidRecord } from './host/index.js';
export { didYouMean } from './schema/index.js';
export { Kernel } from './kernel.js';
export { KernelStartError, type ReloadReport, type StartReport } from './kernel-reports.js';
export { DEFAULT_TIMEOUTS, defaultHome, type HostRequirements, type KernelOptions, type KernelTimeouts } from './kernel-options.js';
export { LOG_LEVELS, loggerFor, MemoryLogger, PinoLogger, TextLogger, type LogEntry, type LogLevel } from './logging/index.js';
export { manifestFilesIn, type ManifestRootPaths } from './discovery/index.js';
export { MANIFEST_FILE, type PluginManifest } from './manifest/index.js';
export type { PluginRecord, PluginState, PluginSummary } from './plan/index.js';
export { versionSatisfies } from './plan/version-satisfies.js';
export { PluginUnavailableError } from './runtime/plugin-error.js';
