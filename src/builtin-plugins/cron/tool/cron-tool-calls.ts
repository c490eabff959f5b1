import type { Clock, ToolContext, ToolResult } from '@nexus/plugin-sdk';
import type { CronJobConfig } from '../config/index.js';
import type { CronRuntime } from '../plugin/cron-runtime.js';
import { describeAction, describeSchedule, loadCatalog, nextRuns } from '../plugin/job-catalog.js';
import { AGENT_OWNER, CRON_TOOL } from './cron-tool-declaration.js';

interface CronToolInput {
  readonly action: 'list' | 'add' | 'remove';
  readonly id?: string;
  readonly job?: CronJobConfig;
}

/**
 * What the agent's `cron` tool does when called (the tool source that offers it while
 * `cron.agent_tool.enabled` is on is `cronToolSource`). Calls pass the `tool.before` and
 * `tool.after` hooks like every tool call. Jobs are validated like the config file's, with an
 * `at` in the past refused.
 */
export class CronToolCalls {
  constructor(
    private readonly runtime: CronRuntime,
    private readonly clock: Clock,
  ) {}

  async call(name: string, raw: unknown, _context: ToolContext): Promise<ToolResult> {
    if (name !== CRON_TOOL.name) return { content: `Unknown tool "${name}".`, isError: true };
    const settings = this.runtime.settings();
    if (!settings.agentTool) return { content: 'The cron tool is switched off (cron.agent_tool.enabled).', isError: true };
    const input = raw as CronToolInput;
    const store = await this.runtime.jobStore(settings);
    switch (input.action) {
      case 'list': {
        const entries = await loadCatalog(this.runtime, settings, { owner: AGENT_OWNER });
        if (entries.length === 0) return { content: 'You have no scheduled jobs.' };
        const now = this.clock.now();
        const lines = entries.map((e) => {
          if (!e.job) return `- ${e.id}: cannot run (${e.diagnostics[0]?.message ?? 'invalid'})`;
          const next = nextRuns(e, now, 1)[0];
          return `- ${e.id}: ${e.job.type}, ${describeSchedule(e.job.schedule)}, ${describeAction(e.job)}; next run ${next !== undefined ? new Date(next).toISOString() : 'none'}${e.lastRun ? `; last run ${e.lastRun.status}` : ''}`;
        });
        return { content: lines.join('\n') };
      }
      case 'add': {
        if (input.id === undefined || input.job === undefined) return { content: 'add needs an id and a job.', isError: true };
        const change = await store.add(input.id, input.job, AGENT_OWNER);
        if (!change.ok) return { content: `The job was not added: ${change.diagnostics.map((d) => `${d.message}${d.source?.pointer ? ` (at ${d.source.pointer})` : ''}${d.hint ? `; ${d.hint}` : ''}`).join('. ')}`, isError: true };
        await this.runtime.storedJobsChanged();
        const next = nextRuns({ id: input.id, source: 'store', job: change.job, diagnostics: [] }, this.clock.now(), 1)[0];
        return { content: `Added job ${input.id}: ${describeSchedule(change.job.schedule)}; next run ${next !== undefined ? new Date(next).toISOString() : 'none'}.` };
      }
      case 'remove': {
        if (input.id === undefined) return { content: 'remove needs the id of one of your jobs.', isError: true };
        const removed = await store.remove(input.id, AGENT_OWNER);
        if (!removed.ok) return { content: `Job ${input.id} was not removed: it is not one of your jobs (list them with action list).`, isError: true };
        await this.runtime.storedJobsChanged();
        return { content: `Removed job ${input.id}.` };
      }
      default:
        return { content: 'action must be list, add or remove.', isError: true };
    }
  }
}
