import type { Clock, ToolContext, ToolDeclaration, ToolListContext, ToolResult, ToolSource } from '@nexus/plugin-sdk';
import { JOB_ID_PATTERN, type CronJobConfig } from '../config/index.js';
import type { CronRuntime } from '../plugin/cron-runtime.js';
import { describeAction, describeSchedule, loadCatalog, nextRuns } from '../plugin/job-catalog.js';

/** Jobs the agent adds belong to it: it lists and removes only those, never the operator's. */
export const AGENT_OWNER = 'agent';

export const CRON_TOOL: ToolDeclaration = {
  name: 'cron',
  description:
    'Schedule work for later: list, add or remove your own scheduled jobs. A job runs a message as an agent turn (agent_turn), posts to a URL (webhook), runs a heartbeat (heartbeat) or adds a note to a session (system_event), on a cron expression, every interval, or once at a time. Times without an offset are read in the user\'s time zone.',
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['action'],
    properties: {
      action: { enum: ['list', 'add', 'remove'], description: 'list your jobs, add one, or remove one of yours.' },
      id: { type: 'string', pattern: JOB_ID_PATTERN, description: 'The job id (add, remove): letters, digits, _ . -.' },
      job: {
        type: 'object',
        description:
          'For add: the job, e.g. {"type": "agent_turn", "schedule": {"cron": "0 9 * * 1-5"}, "agent_turn": {"message": "Summarise my inbox", "deliver_to": {"channel": "telegram", "target": "123"}}} or {"type": "agent_turn", "schedule": {"at": "2027-01-05T09:00"}, "agent_turn": {"message": "Remind me to call Ada"}}. schedule takes one of cron, every (30m, 1h) or at (ISO time), and an optional timezone.',
      },
    },
  },
};

interface CronToolInput {
  readonly action: 'list' | 'add' | 'remove';
  readonly id?: string;
  readonly job?: CronJobConfig;
}

/**
 * The agent's `cron` tool, offered through a tool source so that it is listed only while
 * `cron.agent_tool.enabled` is on (a manifest-declared tool would always be offered). Its calls
 * pass the `tool.before` and `tool.after` hooks like every tool call. Jobs are validated like
 * the config file's, with an `at` in the past refused.
 */
export class CronToolSource implements ToolSource {
  constructor(
    private readonly runtime: CronRuntime,
    private readonly clock: Clock,
  ) {}

  async list(_context: ToolListContext): Promise<readonly ToolDeclaration[]> {
    return this.runtime.settings().agentTool && this.runtime.hasDatabase() ? [CRON_TOOL] : [];
  }

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
