export { ModuleLoader } from './module-loader.js';
