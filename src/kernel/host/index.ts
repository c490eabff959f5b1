export { hostPaths, readHostVersion } from './host-paths.js';
