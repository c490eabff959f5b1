import type { Diagnostic } from '@nexus/plugin-sdk';
import { unknownTemplateVariables, TEMPLATE_VARIABLES } from '../executors/body-template.js';
import type { CronJob, DeliveryTarget, JobSource } from './cron-job.js';
import { CONCURRENCY_POLICIES, CRON_DEFAULTS, JOB_ID_PATTERN, JOB_TYPES, MISFIRE_POLICIES, WEBHOOK_METHODS, type CronJobConfig, type CronJobType, type DeliverToConfig } from './cron-section.js';
import { JobProblems, pointerTo } from './job-problems.js';
import { readSchedule, type ScheduleReadOptions } from './schedule-reader.js';

export interface JobReadOptions extends ScheduleReadOptions {
  readonly source: JobSource;
  /** The job's JSON pointer; `/cron/jobs/<id>` by default. */
  readonly pointer?: string;
  readonly file?: string;
}

export interface JobReadResult {
  /** Undefined when an error makes the job unusable. */
  readonly job?: CronJob;
  readonly diagnostics: readonly Diagnostic[];
}

const ID = new RegExp(JOB_ID_PATTERN);

/**
 * Reads one job (from the config file, or a row the CLI or the agent tool wrote), applies the
 * defaults and checks what the JSON Schema cannot: the expression, the time zone, durations,
 * template variables, and payload sections that do not match the type.
 */
export function readCronJob(id: string, raw: unknown, options: JobReadOptions): JobReadResult {
  const problems = new JobProblems(options.pointer ?? pointerTo('cron', 'jobs', id), options.file);
  if (!ID.test(id)) {
    problems.error('cron.job.invalid-id', '', `"${id}" is not a valid job id`, 'use up to 64 letters, digits, _, . and -, starting with a letter or digit');
    return { diagnostics: problems.list };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.error('cron.job.invalid', '', `job "${id}" is not an object`, 'write the job as a mapping with type and schedule');
    return { diagnostics: problems.list };
  }
  const config = raw as CronJobConfig;
  if (!(JOB_TYPES as readonly string[]).includes(config.type)) {
    problems.error('cron.job.invalid-type', '/type', `job "${id}" has type ${JSON.stringify(config.type)}`, `use one of ${JOB_TYPES.join(', ')}`);
    return { diagnostics: problems.list };
  }
  const schedule = readSchedule(id, config.schedule, problems, options);
  for (const other of JOB_TYPES) {
    if (other !== config.type && config[other] !== undefined) {
      problems.warning('cron.job.unused-payload', `/${other}`, `job "${id}" is of type ${config.type}, so its ${other} settings are ignored`, `remove ${other}, or set type: ${other}`);
    }
  }
  const payload = readPayload(id, config, problems);
  const misfirePolicy = config.misfire?.policy ?? CRON_DEFAULTS.job.misfire.policy;
  if (!(MISFIRE_POLICIES as readonly string[]).includes(misfirePolicy)) problems.error('cron.job.invalid-policy', '/misfire/policy', `misfire.policy is ${JSON.stringify(misfirePolicy)}`, `use one of ${MISFIRE_POLICIES.join(', ')}`);
  const concurrency = config.concurrency ?? CRON_DEFAULTS.job.concurrency;
  if (!(CONCURRENCY_POLICIES as readonly string[]).includes(concurrency)) problems.error('cron.job.invalid-policy', '/concurrency', `concurrency is ${JSON.stringify(concurrency)}`, `use one of ${CONCURRENCY_POLICIES.join(', ')}`);
  const retriesMax = config.retries?.max ?? CRON_DEFAULTS.job.retries.max;
  if (!Number.isInteger(retriesMax) || retriesMax < 0 || retriesMax > 10) problems.error('cron.job.invalid-retries', '/retries/max', `retries.max is ${JSON.stringify(retriesMax)}`, 'use a whole number from 0 to 10');
  const graceMs = problems.duration('/misfire/grace', config.misfire?.grace, CRON_DEFAULTS.job.misfire.grace, 'misfire.grace');
  const backoffMs = problems.duration('/retries/backoff', config.retries?.backoff, CRON_DEFAULTS.job.retries.backoff, 'retries.backoff');
  const timeoutMs = problems.duration('/timeout', config.timeout, CRON_DEFAULTS.job.timeout, 'timeout');
  if (problems.failed || !schedule || !payload || graceMs === undefined || backoffMs === undefined || timeoutMs === undefined) return { diagnostics: problems.list };
  const job = {
    id,
    type: config.type,
    enabled: config.enabled ?? CRON_DEFAULTS.job.enabled,
    source: options.source,
    schedule,
    misfire: { policy: misfirePolicy, graceMs },
    concurrency,
    retries: { max: retriesMax, backoffMs },
    timeoutMs,
    payload,
  } as CronJob;
  return { job, diagnostics: problems.list };
}

function readPayload(id: string, config: CronJobConfig, problems: JobProblems): CronJob['payload'] | undefined {
  const type: CronJobType = config.type;
  const section = config[type] as Record<string, unknown> | undefined;
  if (typeof section !== 'object' || section === null) {
    problems.error('cron.job.missing-payload', `/${type}`, `job "${id}" is of type ${type} but has no ${type} settings`, MISSING_HINT[type]);
    return undefined;
  }
  const text = (key: string, required: boolean): string | undefined => {
    const value = section[key];
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.error('cron.job.missing-field', `/${type}/${key}`, `${type}.${key} of job "${id}" must be a non-empty string`, MISSING_HINT[type]);
      return undefined;
    }
    return value;
  };
  switch (type) {
    case 'webhook': {
      const url = text('url', true);
      if (url !== undefined && !isHttpUrl(url)) problems.error('cron.webhook.invalid-url', '/webhook/url', `webhook.url of job "${id}" is not an http(s) URL`, 'write a full URL such as https://example.com/hooks/nightly');
      const method = (section.method as string | undefined) ?? CRON_DEFAULTS.webhook.method;
      if (!(WEBHOOK_METHODS as readonly string[]).includes(method)) problems.error('cron.webhook.invalid-method', '/webhook/method', `webhook.method is ${JSON.stringify(method)}`, `use one of ${WEBHOOK_METHODS.join(', ')}`);
      const body = text('body', false);
      if (body !== undefined && method === 'GET') problems.error('cron.webhook.body-not-allowed', '/webhook/body', `job "${id}" sends a body with GET, which HTTP clients refuse`, 'use method POST (or PUT, PATCH, DELETE), or remove webhook.body');
      const unknown = body === undefined ? [] : unknownTemplateVariables(body);
      if (unknown.length > 0) problems.error('cron.webhook.unknown-variable', '/webhook/body', `webhook.body of job "${id}" uses ${unknown.map((v) => `{{${v}}}`).join(', ')}, which the template does not know`, `use ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')}`);
      const headers = readHeaders(id, section.headers, problems);
      const timeoutMs = problems.duration('/webhook/timeout', section.timeout, CRON_DEFAULTS.webhook.timeout, 'webhook.timeout');
      if (url === undefined || headers === undefined || timeoutMs === undefined) return undefined;
      return { url, method: method as (typeof WEBHOOK_METHODS)[number], headers, ...(body !== undefined ? { body } : {}), timeoutMs };
    }
    case 'agent_turn':
    case 'heartbeat': {
      const heartbeat = type === 'heartbeat';
      const message = heartbeat ? (text('message', false) ?? CRON_DEFAULTS.heartbeat.message) : text('message', true);
      const session = text('session', heartbeat);
      const deliverTo = readDeliverTo(id, type, section.deliver_to, problems);
      const model = text('model', false);
      const timeoutMs = problems.duration(`/${type}/timeout`, section.timeout, config.timeout ?? CRON_DEFAULTS.job.timeout, `${type}.timeout`);
      const maxIterations = section.max_iterations;
      if (maxIterations !== undefined && (!Number.isInteger(maxIterations) || (maxIterations as number) < 1)) {
        problems.error('cron.job.invalid-iterations', `/${type}/max_iterations`, `${type}.max_iterations is ${JSON.stringify(maxIterations)}`, 'use a whole number of 1 or more');
      }
      if (message === undefined || (heartbeat && session === undefined) || deliverTo === null || timeoutMs === undefined) return undefined;
      const turn = {
        message,
        session: session !== undefined ? { key: session } : { channel: 'cron', conversationId: id },
        ...(deliverTo !== undefined ? { deliverTo } : {}),
        ...(model !== undefined ? { model } : {}),
        timeoutMs,
        ...(maxIterations !== undefined ? { maxIterations: maxIterations as number } : {}),
      };
      return heartbeat ? { ...turn, okToken: text('ok_token', false) ?? CRON_DEFAULTS.heartbeat.ok_token } : turn;
    }
    case 'system_event': {
      const message = text('message', true);
      const session = text('session', true);
      if (message === undefined || session === undefined) return undefined;
      return { message, session: { key: session } };
    }
  }
}

const MISSING_HINT: Readonly<Record<CronJobType, string>> = {
  webhook: 'add webhook: {url: "https://…"} (method, headers, body and timeout are optional)',
  agent_turn: 'add agent_turn: {message: "…"} (session, deliver_to, model, timeout and max_iterations are optional)',
  heartbeat: 'add heartbeat: {session: "<session key>"} (message, deliver_to, model, timeout and ok_token are optional)',
  system_event: 'add system_event: {message: "…", session: "<session key>"}',
};

function readHeaders(id: string, raw: unknown, problems: JobProblems): Record<string, string> | undefined {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.error('cron.webhook.invalid-headers', '/webhook/headers', `webhook.headers of job "${id}" is not a mapping`, 'write headers as name: value pairs');
    return undefined;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    // The value is never echoed: headers carry tokens.
    if (typeof value !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || /[\r\n]/.test(value)) {
      problems.error('cron.webhook.invalid-headers', `/webhook/headers/${name}`, `webhook header "${name}" of job "${id}" is not a valid header name with a one-line string value`, 'use a token name such as Authorization and a string value without line breaks');
      return undefined;
    }
    headers[name] = value;
  }
  return headers;
}

/** Undefined when absent; null when present but unusable (already reported). */
function readDeliverTo(id: string, type: string, raw: unknown, problems: JobProblems): DeliveryTarget | undefined | null {
  if (raw === undefined) return undefined;
  const target = raw as Partial<DeliverToConfig> | null;
  const ok = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  if (typeof target !== 'object' || target === null || !ok(target.channel) || !ok(target.target) || (target.account !== undefined && !ok(target.account))) {
    problems.error('cron.job.invalid-delivery', `/${type}/deliver_to`, `${type}.deliver_to of job "${id}" needs a channel and a target`, 'write deliver_to: {channel: telegram, target: "<chat id>"} (account is optional)');
    return null;
  }
  return { channel: target.channel!, target: target.target!, ...(target.account !== undefined ? { account: target.account } : {}) };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
