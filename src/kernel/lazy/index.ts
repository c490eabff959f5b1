export { yamlModule } from './lazy-modules.js';
