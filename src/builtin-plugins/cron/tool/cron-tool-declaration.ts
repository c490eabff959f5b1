import type { ToolDeclaration } from '@nexus/plugin-sdk';
import { JOB_ID_PATTERN } from '../config/cron-section.js';

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
