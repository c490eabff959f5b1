/**
 * Everything of the plugin that needs its engine (the config reader, croner, the scheduler, the
 * job store), behind one dynamic import (`CronHost.parts`): a host with no cron job never loads it.
 */
export { CronCommand } from '../commands/cron-command.js';
export { CronToolCalls } from '../tool/cron-tool-calls.js';
export { CronRuntime } from './cron-runtime.js';
