export { ConfigFileError, configFromData, emptyConfig, loadConfigFile, parseConfigText, parseSingleDocument, type LoadedConfig, type LoadOptions } from './config-file.js';
export { activeProfileFile, ConfigSourceConflict, profilePath, readActiveProfile, resolveConfigSource, type ConfigOrigin, type ConfigSource } from './config-source.js';
export { setPluginEnabled } from './config-editor.js';
export { overrideVariables } from './env-overrides.js';
export { readPluginsConfig, type PluginEntryConfig, type PluginsConfig } from './plugins-config.js';
export { initProfile, listProfiles, PROFILE_PROVIDERS, useProfile, type ProfileInfo } from './profiles.js';
