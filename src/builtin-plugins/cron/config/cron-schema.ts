import { DURATION_PATTERN } from '@nexus/plugin-sdk';
import { CONCURRENCY_POLICIES, CRON_DEFAULTS, JOB_ID_PATTERN, JOB_TYPES, MISFIRE_POLICIES, WEBHOOK_METHODS } from './cron-section.js';

const duration = (description: string, fallback?: string) => ({
  description: `${description} A duration such as 30s, 5m, 1h or 1h30m.`,
  type: 'string',
  pattern: DURATION_PATTERN,
  ...(fallback !== undefined ? { default: fallback } : {}),
});

const deliverTo = {
  description: 'Where the reply is sent. Without it the reply is only stored (in the session and the run history).',
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'target'],
  properties: {
    channel: { description: 'A configured channel, e.g. telegram or webhook.', type: 'string', minLength: 1 },
    account: { description: "The channel account; the channel's default account when absent.", type: 'string', minLength: 1 },
    target: { description: 'Where in the channel, in its own terms: a chat id, a conversation id.', type: 'string', minLength: 1 },
  },
} as const;

const turnOptions = {
  deliver_to: { $ref: '#/$defs/deliver_to' },
  model: { description: 'The model for this turn (`provider/model` or an alias); the default model when absent.', type: 'string', minLength: 1 },
  timeout: duration("How long the turn may take; the job's timeout when absent."),
  max_iterations: { description: "Model round trips (tool calls) the turn may take; agent.max_iterations when absent.", type: 'integer', minimum: 1, maximum: 100 },
} as const;

const job = {
  description: 'One scheduled job. Jobs from this file are read-only at run time; jobs added with `nexus cron add` or the agent tool live in the database.',
  type: 'object',
  additionalProperties: false,
  required: ['type', 'schedule'],
  properties: {
    type: { description: 'What the job does.', enum: JOB_TYPES },
    enabled: { description: 'Off keeps the job defined without running it; runs it would have made are not counted as missed.', type: 'boolean', default: CRON_DEFAULTS.job.enabled },
    schedule: { $ref: '#/$defs/schedule' },
    webhook: {
      description: 'For type webhook: the HTTP request. A status of 300 or more is a failure; 5xx, 408, 425, 429 and network errors are transient (retried per `retries`).',
      type: 'object',
      additionalProperties: false,
      required: ['url'],
      properties: {
        url: { description: 'http:// or https:// URL.', type: 'string', format: 'uri', pattern: '^https?://' },
        method: { description: 'HTTP method.', enum: WEBHOOK_METHODS, default: CRON_DEFAULTS.webhook.method },
        headers: {
          description: 'Request headers. Values may hold secrets (use ${ENV_VAR}); they are never logged.',
          type: 'object',
          additionalProperties: { type: 'string', writeOnly: true },
        },
        body: {
          description:
            'Body template. {{job.id}}, {{job.type}}, {{run.id}}, {{run.kind}}, {{run.attempt}}, {{run.scheduled_at}} (ISO), {{run.scheduled_at_ms}} and {{now}} (ISO) are replaced. Without it, POST/PUT/PATCH send a JSON description of the run.',
          type: 'string',
        },
        timeout: duration('How long one request may take.', CRON_DEFAULTS.webhook.timeout),
      },
    },
    agent_turn: {
      description: 'For type agent_turn: a message sent into a session as a user turn.',
      type: 'object',
      additionalProperties: false,
      required: ['message'],
      properties: {
        message: { description: 'What the agent is asked.', type: 'string', minLength: 1 },
        session: { description: 'A session key; the job’s own isolated session `cron:<id>` when absent.', type: 'string', minLength: 1 },
        ...turnOptions,
      },
    },
    heartbeat: {
      description: "For type heartbeat: the session's scheduled heartbeat turn (session.heartbeat checklist). A reply that is only the ok token is not delivered.",
      type: 'object',
      additionalProperties: false,
      required: ['session'],
      properties: {
        session: { description: 'The session key the heartbeat runs in.', type: 'string', minLength: 1 },
        message: { description: 'The heartbeat message.', type: 'string', minLength: 1, default: CRON_DEFAULTS.heartbeat.message },
        ok_token: { description: 'The reply that means nothing needs attention.', type: 'string', minLength: 1, default: CRON_DEFAULTS.heartbeat.ok_token },
        ...turnOptions,
      },
    },
    system_event: {
      description: 'For type system_event: a message added to a session without a model call.',
      type: 'object',
      additionalProperties: false,
      required: ['message', 'session'],
      properties: {
        message: { description: 'The text added to the session.', type: 'string', minLength: 1 },
        session: { description: 'The session key.', type: 'string', minLength: 1 },
      },
    },
    misfire: {
      description:
        'Runs the scheduler could not start on time (it was down, suspended or stalled). A run may start up to `grace` late. Of several overdue runs only the newest is considered; the others are recorded as missed, never run in a burst.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        policy: {
          description: 'skip: a run later than grace is recorded as missed. run_once: the newest such run is started once as a catch-up. Also decides whether a run interrupted by a shutdown is run again (once).',
          enum: MISFIRE_POLICIES,
          default: CRON_DEFAULTS.job.misfire.policy,
        },
        grace: duration('How late a run may start and still count as on time.', CRON_DEFAULTS.job.misfire.grace),
      },
    },
    concurrency: {
      description: 'A run due while the previous one is still going (on any replica): skip records it as skipped; queue starts it when the previous one ends (at most one waits, later ones are skipped).',
      enum: CONCURRENCY_POLICIES,
      default: CRON_DEFAULTS.job.concurrency,
    },
    retries: {
      description: 'Retries of failures classified as transient. The delay doubles after each attempt, up to one hour.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        max: { description: 'Retries after the first attempt.', type: 'integer', minimum: 0, maximum: 10, default: CRON_DEFAULTS.job.retries.max },
        backoff: duration('Delay before the first retry.', CRON_DEFAULTS.job.retries.backoff),
      },
    },
    timeout: duration('How long one attempt may take before it is aborted.', CRON_DEFAULTS.job.timeout),
  },
} as const;

const schedule = {
  description: 'When the job runs: exactly one of cron, every and at.',
  type: 'object',
  additionalProperties: false,
  properties: {
    cron: { description: 'A cron expression: 5 fields, or 6 with seconds first; or @yearly, @monthly, @weekly, @daily, @hourly.', type: 'string', minLength: 1 },
    every: duration('Runs at anchor + k·every, without drift.'),
    at: { description: 'One run at this ISO 8601 time (e.g. 2027-01-05T09:00, or with Z or an offset).', type: 'string', minLength: 1 },
    anchor: { description: 'For every: where the intervals count from (ISO 8601); the job’s creation time when absent.', type: 'string', minLength: 1 },
    timezone: { description: "IANA time zone (e.g. Europe/Berlin) for cron and for an at without offset; user.timezone, else the host's, when absent.", type: 'string', minLength: 1 },
    stagger: duration('For top-of-hour cron expressions: the largest delay, derived from the job id, added to each run so jobs do not all start at once.'),
  },
} as const;

/**
 * The JSON Schema (draft 2020-12) of the `cron` section, exactly as the plugin manifest's
 * `configSections` states it (test/builtin-plugins/cron/manifest.test.ts keeps the two equal); the
 * same `$defs/job` validates jobs added from the CLI or the agent tool.
 */
export const CRON_SECTION_SCHEMA = {
  description: 'Scheduled jobs: agent turns, webhooks, heartbeats and system events, each run claimed exactly once across replicas and recorded in the database.',
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { description: 'Off switches the scheduler off on this replica (other replicas still run the jobs).', type: 'boolean', default: CRON_DEFAULTS.enabled },
    jobs: {
      description: 'Jobs keyed by id (letters, digits, _ . -; 64 at most).',
      type: 'object',
      default: {},
      propertyNames: { pattern: JOB_ID_PATTERN },
      additionalProperties: { $ref: '#/$defs/job' },
    },
    agent_tool: {
      description: 'The `cron` tool, with which the agent lists, adds and removes jobs of its own (never config jobs or jobs added with `nexus cron add`). Its calls pass the tool.before hooks like any tool call.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        enabled: { description: 'Offer the tool to the agent. Off by default: a job the agent adds runs unattended later.', type: 'boolean', default: CRON_DEFAULTS.agent_tool.enabled },
      },
    },
    history: {
      description: 'How much run history is kept; runs in progress are never pruned.',
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        max_runs_per_job: { description: 'Newest runs kept per job.', type: 'integer', minimum: 1, maximum: 100000, default: CRON_DEFAULTS.history.max_runs_per_job },
        max_age: duration('Runs that finished longer ago are removed.', CRON_DEFAULTS.history.max_age),
      },
    },
  },
  $defs: { job, schedule, deliver_to: deliverTo },
} as const;

/** One job on its own (what `nexus cron add` and the agent tool validate before storing a job). */
export const CRON_JOB_SCHEMA = { $ref: '#/$defs/job', $defs: CRON_SECTION_SCHEMA.$defs } as const;
