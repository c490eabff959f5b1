import { HEARTBEAT_OK_TOKEN } from '@nexus/plugin-sdk/prompt';

/**
 * The `cron` section as written in the config file (snake_case keys), after the host applied the
 * schema's defaults. Jobs added from the CLI or the agent tool use the same job shape.
 */
export interface CronSection {
  /** Off switches the scheduler off on this replica; jobs stay defined and other replicas run them. */
  readonly enabled: boolean;
  readonly jobs: Readonly<Record<string, CronJobConfig>>;
  readonly history: CronHistoryConfig;
  readonly agent_tool: { readonly enabled: boolean };
}

export interface CronHistoryConfig {
  readonly max_runs_per_job: number;
  /** A duration such as `30d`. */
  readonly max_age: string;
}

export const JOB_TYPES = ['agent_turn', 'webhook', 'heartbeat', 'system_event'] as const;
export type CronJobType = (typeof JOB_TYPES)[number];

export const MISFIRE_POLICIES = ['skip', 'run_once'] as const;
export type MisfirePolicy = (typeof MISFIRE_POLICIES)[number];

export const CONCURRENCY_POLICIES = ['skip', 'queue'] as const;
export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];

export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

export interface ScheduleConfig {
  /** A cron expression (5 fields, or 6 with seconds first) or a descriptor such as `@daily`. */
  readonly cron?: string;
  /** A duration: runs at anchor + k·every. */
  readonly every?: string;
  /** An ISO 8601 time for a one-shot run; without an offset it is read in `timezone`. */
  readonly at?: string;
  /** Where `every` counts from (ISO 8601); the job's creation time when absent. */
  readonly anchor?: string;
  /** IANA time zone for `cron` and offset-less `at`; the user's, else the host's, when absent. */
  readonly timezone?: string;
  /** Largest deterministic delay added to top-of-hour `cron` runs, e.g. `5m`. */
  readonly stagger?: string;
}

export interface DeliverToConfig {
  readonly channel: string;
  readonly account?: string;
  readonly target: string;
}

export interface WebhookConfig {
  readonly url: string;
  readonly method?: WebhookMethod;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeout?: string;
}

export interface AgentTurnConfig {
  readonly message: string;
  readonly session?: string;
  readonly deliver_to?: DeliverToConfig;
  readonly model?: string;
  readonly timeout?: string;
  readonly max_iterations?: number;
}

export interface HeartbeatConfig {
  readonly session: string;
  readonly message?: string;
  readonly deliver_to?: DeliverToConfig;
  readonly model?: string;
  readonly timeout?: string;
  readonly max_iterations?: number;
  readonly ok_token?: string;
}

export interface SystemEventConfig {
  readonly message: string;
  readonly session: string;
}

export interface CronJobConfig {
  readonly type: CronJobType;
  readonly enabled?: boolean;
  readonly schedule: ScheduleConfig;
  readonly webhook?: WebhookConfig;
  readonly agent_turn?: AgentTurnConfig;
  readonly heartbeat?: HeartbeatConfig;
  readonly system_event?: SystemEventConfig;
  readonly misfire?: { readonly policy?: MisfirePolicy; readonly grace?: string };
  readonly concurrency?: ConcurrencyPolicy;
  readonly retries?: { readonly max?: number; readonly backoff?: string };
  readonly timeout?: string;
}

/**
 * Defaults, in one place for the schema (`default` keywords) and for jobs that reach the engine
 * without the host's schema pass (rows written by the CLI or the agent tool).
 */
export const CRON_DEFAULTS = {
  enabled: true,
  history: { max_runs_per_job: 200, max_age: '30d' },
  agent_tool: { enabled: false },
  job: {
    enabled: true,
    misfire: { policy: 'skip' as MisfirePolicy, grace: '1m' },
    concurrency: 'skip' as ConcurrencyPolicy,
    retries: { max: 0, backoff: '30s' },
    timeout: '10m',
  },
  webhook: { method: 'POST' as WebhookMethod, timeout: '30s' },
  heartbeat: { message: 'heartbeat', ok_token: HEARTBEAT_OK_TOKEN },
} as const;

/** The id rule for jobs: it appears in session keys (`cron:<id>`), paths and log lines. */
export const JOB_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$';
