import { ChannelOutbounds, type ConfigAccess, type ContributionRegistry, type Diagnostic, type DoctorCheck, type DoctorFinding } from '@nexus/plugin-sdk';
import type { CronJob } from '../config/index.js';
import type { CronHost } from '../plugin/cron-host.js';

/**
 * `cron-jobs`: every job, from the file and the database. Problems the reader finds (an
 * expression that never fires, an `at` in the past, a bad zone) come as its diagnostics; this
 * adds what needs the rest of the config: deliveries to channels that are not installed or not
 * configured, and heartbeats while the checklist they exist for is off.
 */
export function cronDoctorCheck(host: CronHost, config: ConfigAccess, contributions: ContributionRegistry): DoctorCheck {
  return {
    id: 'cron-jobs',
    description: 'Cron jobs are valid, fire at all, have no `at` in the past, and deliver to configured channels.',
    async run() {
      const runtime = await host.runtime();
      const settings = runtime.settings();
      const findings: DoctorFinding[] = settings.diagnostics.map(finding);
      const jobs: { job: CronJob; where: string }[] = settings.jobs.map((job) => ({ job, where: `cron.jobs.${job.id}` }));
      if (runtime.hasDatabase()) {
        try {
          for (const stored of await (await runtime.jobStore(settings)).list()) {
            findings.push(...stored.diagnostics.map((d) => finding({ ...d, message: `stored job: ${d.message}` })));
            if (stored.job) jobs.push({ job: stored.job, where: `stored job ${stored.job.id}` });
          }
        } catch (error) {
          findings.push({ level: 'warning', message: `cannot read the stored cron jobs: ${(error as Error).message}`, hint: 'run nexus migrate status' });
        }
      } else if (settings.jobs.length > 0) {
        findings.push({ level: 'error', message: `${settings.jobs.length} cron job(s) are configured, but database.url is memory, which keeps no cron runs: none of them runs`, hint: 'set database.url to a SQLite file or a PostgreSQL URL' });
      }
      const installed = new Set(contributions.names(ChannelOutbounds));
      const channels = config.section<Record<string, unknown>>('channels') ?? {};
      const heartbeatOn = config.section<{ heartbeat?: { enabled?: boolean } }>('session')?.heartbeat?.enabled === true;
      for (const { job, where } of jobs) {
        if (!job.enabled) continue;
        if ((job.type === 'agent_turn' || job.type === 'heartbeat') && job.payload.deliverTo) {
          const { channel, account } = job.payload.deliverTo;
          if (!installed.has(channel)) {
            findings.push({ level: 'error', message: `${where} delivers to channel "${channel}", which no enabled plugin provides: its replies cannot be sent`, hint: `use one of ${[...installed].sort().join(', ') || '(no channel is enabled)'}, or enable the ${channel} plugin` });
          } else if (isEmpty(channels[channel])) {
            findings.push({ level: 'warning', message: `${where} delivers to channel "${channel}", which is not configured (channels.${channel})`, hint: `configure channels.${channel}, or deliver elsewhere` });
          } else if (account !== undefined && !hasAccount(channels[channel], account)) {
            findings.push({ level: 'warning', message: `${where} delivers through account "${account}" of ${channel}, which channels.${channel}.accounts does not define`, hint: `add channels.${channel}.accounts.${account}, or drop deliver_to.account to use the default account` });
          }
        }
        if (job.type === 'heartbeat' && !heartbeatOn) {
          findings.push({ level: 'warning', message: `${where} runs heartbeats, but session.heartbeat.enabled is false, so the agent gets no checklist with them`, hint: 'set session.heartbeat.enabled: true (mode on_demand adds the checklist to heartbeat turns only)' });
        }
      }
      if (findings.length === 0) findings.push({ level: 'info', message: jobs.length === 0 ? 'no cron jobs are configured or stored' : `${jobs.length} cron job(s): valid, each with a future run, delivering to configured channels` });
      return findings;
    },
  };
}

function finding(d: Diagnostic): DoctorFinding {
  return { level: d.level, message: `${d.message}${d.source?.pointer ? ` (at ${d.source.pointer})` : ''}`, ...(d.hint ? { hint: d.hint } : {}) };
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0);
}

function hasAccount(section: unknown, account: string): boolean {
  const accounts = (section as { accounts?: Record<string, unknown> } | undefined)?.accounts;
  // A channel without an accounts map has only its default account.
  return accounts === undefined ? account === 'default' : Object.hasOwn(accounts, account);
}
