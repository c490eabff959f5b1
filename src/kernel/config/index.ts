export { ConfigFileError, configFromData, emptyConfig, loadConfigFile, parseConfigText, type LoadedConfig } from './config-file.js';
export { setPluginEnabled } from './config-editor.js';
export { readPluginsConfig, type PluginEntryConfig, type PluginsConfig } from './plugins-config.js';
