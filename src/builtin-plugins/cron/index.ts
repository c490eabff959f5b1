import { ClockToken, CliCommands, ConfigToken, ContributionsToken, createToken, definePlugin, DoctorChecks, LoggerToken, Migrations, ServicesToken, ToolSources, type ResolutionContext } from '@nexus/plugin-sdk';
import { cronDoctorCheck } from './doctor/cron-doctor-check.js';
import { CronHost } from './plugin/cron-host.js';
import { cronCommand, cronToolSource } from './plugin/lazy-contributions.js';
import { CRON_MIGRATIONS } from './store/cron-migrations.js';
import type { Timers } from './time/index.js';

const HostBinding = createToken<CronHost>('nexus.cron.host');
const host = (c: ResolutionContext) => c.get<CronHost>(HostBinding);

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
 * Scheduled jobs. The scheduler starts when `nexus serve` is ready (kernel.ready), if there is a
 * job in the config or the database, and stops with the kernel (runs in flight drain within
 * server.drain_timeout, the rest are recorded as interrupted). Without a job the plugin loads
 * none of its engine and holds no timer. Other processes (`nexus cron …`, `nexus doctor`) load
 * the engine without a scheduler. The store activates this plugin to collect its migrations:
 * nothing here awaits the database at activation.
 */
export default definePlugin({
  register(ctx) {
    ctx.bind(HostBinding).toDynamicValue((c) => new CronHost({ config: c.get(ConfigToken), services: c.get(ServicesToken), clock: c.get(ClockToken), logger: c.get(LoggerToken), ...timersOf(c.get(ClockToken)) }));
    ctx.contribute(Migrations, 'cron').toConstantValue({ migrations: CRON_MIGRATIONS });
    ctx.contribute(CliCommands, 'cron').toDynamicValue((c) => cronCommand(host(c), c.get(ClockToken)));
    ctx.contribute(ToolSources, 'cron').toDynamicValue((c) => cronToolSource(host(c), c.get(ClockToken)));
    ctx.contribute(DoctorChecks, 'cron-jobs').toDynamicValue((c) => cronDoctorCheck(host(c), c.get(ConfigToken), c.get(ContributionsToken)));
  },

  activate(ctx) {
    const cron = ctx.get<CronHost>(HostBinding);
    const start = () => {
      // Not awaited: a large schedule's first pass must not hold up readiness.
      void ctx.tasks.run('cron scheduler start', () => cron.start());
    };
    ctx.onHook('kernel.ready', start);
    // A reload restarts this plugin after startup finished; no second kernel.ready comes then.
    ctx.onHook('plugin.activated', ({ pluginId, event }) => {
      if (pluginId === ctx.pluginId && event === 'reload') start();
    });
    ctx.onHook('kernel.stopping', () => cron.stop());
  },

  async deactivate(ctx) {
    await ctx.get<CronHost>(HostBinding).stop();
  },
});
