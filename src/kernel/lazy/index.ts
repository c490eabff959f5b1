export { ajvModules, pinoModule, yamlModule, type PinoModule } from './lazy-modules.js';
