/**
 * The cron engine's surface, for the plugin entry phase 2 adds (`index.ts`) and for benchmarks
 * that drive the engine without a host: config reading, schedules, the scheduler, the database
 * port and tables, and the executors with the ports they need.
 */
export * from './config/index.js';
export * from './executors/index.js';
export * from './schedule/index.js';
export * from './scheduler/index.js';
export * from './store/index.js';
export * from './time/index.js';
