/**
 * `@nexus/plugin-sdk`: what every plugin imports. `definePlugin`, tokens and service refs, the
 * contract interfaces with their tokens and error classes, and the decorators a plugin's classes
 * are wired with. Kits for each kind of plugin are subpaths: `/provider`, `/storage`,
 * `/storage-sql`, `/channel`, `/prompt` and `/testing`.
 */
export * from './contracts/index.js';
export * from './duration/index.js';
export * from './admin/index.js';
export * from './sessions/index.js';
