import { ClockToken, CliCommands, ConfigToken, ContributionsToken, createToken, definePlugin, DoctorChecks, LoggerToken, Migrations, ServicesToken, ToolSources, type ResolutionContext } from '@nexus/plugin-sdk';
import { CronCommand } from './commands/cron-command.js';
import { cronDoctorCheck } from './doctor/cron-doctor-check.js';
import { CronRuntime } from './plugin/cron-runtime.js';
import { CRON_MIGRATIONS } from './store/index.js';
import { CronToolSource } from './tool/cron-tool-source.js';
import type { Timers } from './time/index.js';

const RuntimeBinding = createToken<CronRuntime>('nexus.cron.runtime');
const runtime = (c: ResolutionContext) => c.get<CronRuntime>(RuntimeBinding);

/**
 * A clock that also sets timers (the manual time of tests) drives the scheduler's timers too, so
 * a test moves the whole plugin through time by hand; the host's clock has none, and Node's
 * (unreferenced) timers apply.
 */
function timersOf(clock: object): { timers?: Timers } {
  const candidate = clock as Partial<Timers>;
  return typeof candidate.setTimeout === 'function' && typeof candidate.clearTimeout === 'function' ? { timers: candidate as Timers } : {};
}

/**
 * Scheduled jobs. The scheduler starts when `nexus serve` is ready (kernel.ready) and stops with
 * the kernel (runs in flight drain within server.drain_timeout, the rest are recorded as
 * interrupted). Other processes (`nexus cron …`, `nexus doctor`) use the same runtime without a
 * scheduler. The store activates this plugin to collect its migrations: nothing here awaits the
 * database at activation.
 */
export default definePlugin({
  register(ctx) {
    ctx.bind(RuntimeBinding).toDynamicValue((c) => new CronRuntime({ config: c.get(ConfigToken), services: c.get(ServicesToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), ...timersOf(c.get(ClockToken)) }));
    ctx.contribute(Migrations, 'cron').toConstantValue({ migrations: CRON_MIGRATIONS });
    ctx.contribute(CliCommands, 'cron').toDynamicValue((c) => new CronCommand(runtime(c), c.get(ClockToken)));
    ctx.contribute(ToolSources, 'cron').toDynamicValue((c) => new CronToolSource(runtime(c), c.get(ClockToken)));
    ctx.contribute(DoctorChecks, 'cron-jobs').toDynamicValue((c) => cronDoctorCheck(runtime(c), c.get(ConfigToken), c.get(ContributionsToken)));
  },

  activate(ctx) {
    const cron = ctx.get<CronRuntime>(RuntimeBinding);
    ctx.onHook('kernel.ready', () => {
      // Not awaited: a large schedule's first pass must not hold up readiness.
      void ctx.tasks.run('cron scheduler start', () => cron.start());
    });
    // A reload restarts this plugin after startup finished; no second kernel.ready comes then.
    ctx.onHook('plugin.activated', ({ pluginId, event }) => {
      if (pluginId === ctx.pluginId && event === 'reload') void ctx.tasks.run('cron scheduler start', () => cron.start());
    });
    ctx.onHook('kernel.stopping', () => cron.stop());
  },

  async deactivate(ctx) {
    await ctx.get<CronRuntime>(RuntimeBinding).stop();
  },
});
