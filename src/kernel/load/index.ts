export { ModuleLoader } from './module-loader.js';
export { importPluginDefinition } from './plugin-entry.js';
