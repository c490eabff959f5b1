import { createRequire } from 'node:module';
import type { Ajv2020 as Ajv2020Type } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { CRON_JOB_SCHEMA, CRON_SECTION_SCHEMA, readCronJob, readCronSection, type CronJobConfig } from '../../../src/builtin-plugins/cron/config/index.js';

const require = createRequire(import.meta.url);
const NOW = Date.parse('2026-01-05T09:00:00Z');

/** The host's validator settings (src/kernel/schema/schema-compiler.ts). */
function ajv(): Ajv2020Type {
  const Ajv2020 = (require('ajv/dist/2020.js') as { default: new (options: object) => Ajv2020Type }).default;
  const instance = new Ajv2020({ allErrors: true, strict: false, useDefaults: true, allowUnionTypes: true, verbose: true });
  (require('ajv-formats') as { default: (a: Ajv2020Type) => void }).default(instance);
  return instance;
}

const webhookJob = (extra: Record<string, unknown> = {}) => ({ type: 'webhook', schedule: { cron: '0 9 * * *' }, webhook: { url: 'https://example.com/hook' }, ...extra });
const read = (config: unknown, options: { pastAt?: 'error' | 'warning'; defaultTimezone?: string } = {}) =>
  readCronJob('nightly', config, { source: 'config', now: NOW, pastAt: options.pastAt ?? 'error', defaultTimezone: options.defaultTimezone ?? 'Europe/Berlin' });

describe('cron config schema', () => {
  it('is draft 2020-12 JSON Schema that fills in every default', () => {
    const validate = ajv().compile(CRON_SECTION_SCHEMA);
    const section: Record<string, unknown> = { jobs: { nightly: webhookJob() } };
    expect(validate(section), JSON.stringify(validate.errors)).toBe(true);
    expect(section).toEqual({
      enabled: true,
      agent_tool: { enabled: false },
      history: { max_runs_per_job: 200, max_age: '30d' },
      jobs: {
        nightly: {
          type: 'webhook',
          enabled: true,
          schedule: { cron: '0 9 * * *' },
          webhook: { url: 'https://example.com/hook', method: 'POST', timeout: '30s' },
          misfire: { policy: 'skip', grace: '1m' },
          concurrency: 'skip',
          retries: { max: 0, backoff: '30s' },
          timeout: '10m',
        },
      },
    });
  });

  it('marks header values as secrets (writeOnly), so the host redacts them', () => {
    expect(CRON_SECTION_SCHEMA.$defs.job.properties.webhook.properties.headers.additionalProperties).toEqual({ type: 'string', writeOnly: true });
  });

  it('refuses unknown keys, bad ids, unknown types and malformed durations', () => {
    const validate = ajv().compile(CRON_SECTION_SCHEMA);
    for (const bad of [
      { jobs: { nightly: webhookJob({ colour: 'red' }) } },
      { jobs: { 'bad id': webhookJob() } },
      { jobs: { nightly: webhookJob({ type: 'email' }) } },
      { jobs: { nightly: webhookJob({ timeout: '10 minutes' }) } },
      { jobs: { nightly: webhookJob({ schedule: { every: '5x' } }) } },
      { jobs: { nightly: webhookJob({ webhook: { url: 'ftp://example.com' } }) } },
      { history: { max_runs_per_job: 0 } },
    ]) {
      expect(validate(structuredClone(bad)), JSON.stringify(bad)).toBe(false);
    }
  });

  it('validates one job on its own for the CLI and the agent tool', () => {
    const validate = ajv().compile(CRON_JOB_SCHEMA);
    const job: Record<string, unknown> = { type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { message: 'Summarise my inbox', deliver_to: { channel: 'telegram', target: '42' } } };
    expect(validate(job), JSON.stringify(validate.errors)).toBe(true);
    expect(job).toMatchObject({ enabled: true, concurrency: 'skip', misfire: { policy: 'skip', grace: '1m' } });
    expect(validate({ type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { deliver_to: { channel: 'telegram' } } })).toBe(false);
  });
});

describe('reading cron jobs', () => {
  it('applies defaults and resolves durations and the time zone', () => {
    const { job, diagnostics } = read(webhookJob({ retries: { max: 2 } }));
    expect(diagnostics).toEqual([]);
    expect(job).toEqual({
      id: 'nightly',
      type: 'webhook',
      enabled: true,
      source: 'config',
      schedule: { kind: 'cron', expression: '0 9 * * *', timezone: 'Europe/Berlin', staggerMs: 0 },
      misfire: { policy: 'skip', graceMs: 60_000 },
      concurrency: 'skip',
      retries: { max: 2, backoffMs: 30_000 },
      timeoutMs: 600_000,
      payload: { url: 'https://example.com/hook', method: 'POST', headers: {}, timeoutMs: 30_000 },
    });
  });

  it("gives an agent turn its own session cron:<id> unless it names one", () => {
    const own = read({ type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { message: 'hi', model: 'openai/gpt-5', max_iterations: 3 }, timeout: '2m' });
    expect(own.job?.payload).toEqual({ message: 'hi', session: { channel: 'cron', conversationId: 'nightly' }, model: 'openai/gpt-5', timeoutMs: 120_000, maxIterations: 3 });
    const named = read({ type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { message: 'hi', session: 'main:telegram:42', timeout: '30s', deliver_to: { channel: 'telegram', target: '42' } } });
    expect(named.job?.payload).toEqual({ message: 'hi', session: { key: 'main:telegram:42' }, timeoutMs: 30_000, deliverTo: { channel: 'telegram', target: '42' } });
  });

  it('takes a time zone in any letter case, under its canonical name', () => {
    expect(read(webhookJob({ schedule: { cron: '0 9 * * *', timezone: 'europe/berlin' } })).job?.schedule).toMatchObject({ timezone: 'Europe/Berlin' });
  });

  it('fills in the heartbeat message and ok token', () => {
    const { job } = read({ type: 'heartbeat', schedule: { every: '30m' }, heartbeat: { session: 'main:telegram:42' } });
    expect(job?.payload).toMatchObject({ message: 'heartbeat', okToken: 'HEARTBEAT_OK', session: { key: 'main:telegram:42' } });
  });

  const problems: [string, unknown, { code: string; pointer: string; message: RegExp; hint: RegExp }][] = [
    ['an invalid cron expression', webhookJob({ schedule: { cron: '61 * * * *' } }), { code: 'cron.schedule.invalid-cron', pointer: '/cron/jobs/nightly/schedule/cron', message: /"61 \* \* \* \*" is not a valid cron expression: Invalid value for minute: 61/, hint: /5 fields/ }],
    ['a cron expression with too few fields', webhookJob({ schedule: { cron: '* * *' } }), { code: 'cron.schedule.invalid-cron', pointer: '/cron/jobs/nightly/schedule/cron', message: /five, six, or seven/, hint: /@daily/ }],
    ['an unknown time zone, with a suggestion', webhookJob({ schedule: { cron: '0 9 * * *', timezone: 'New York' } }), { code: 'cron.schedule.unknown-timezone', pointer: '/cron/jobs/nightly/schedule/timezone', message: /"New York" is not an IANA time zone/, hint: /did you mean "America\/New_York"/ }],
    ['a made-up time zone', webhookJob({ schedule: { cron: '0 9 * * *', timezone: 'Mars/Olympus' } }), { code: 'cron.schedule.unknown-timezone', pointer: '/cron/jobs/nightly/schedule/timezone', message: /Mars\/Olympus/, hint: /IANA name such as Europe\/Berlin/ }],
    ['an at time in the past', webhookJob({ schedule: { at: '2025-12-24T18:00' } }), { code: 'cron.schedule.at-past', pointer: '/cron/jobs/nightly/schedule/at', message: /"2025-12-24T18:00" \(2025-12-24T17:00:00.000Z\) has passed/, hint: /into the future/ }],
    ['an at time that is not a date', webhookJob({ schedule: { at: 'next friday' } }), { code: 'cron.schedule.invalid-time', pointer: '/cron/jobs/nightly/schedule/at', message: /"next friday" is not an ISO 8601/, hint: /2027-01-05T09:00/ }],
    ['no schedule kind', webhookJob({ schedule: { timezone: 'UTC' } }), { code: 'cron.schedule.missing', pointer: '/cron/jobs/nightly/schedule', message: /without cron, every or at/, hint: /exactly one/ }],
    ['two schedule kinds', webhookJob({ schedule: { cron: '0 9 * * *', every: '1h' } }), { code: 'cron.schedule.ambiguous', pointer: '/cron/jobs/nightly/schedule/every', message: /sets cron and every/, hint: /keep one/ }],
    ['an interval under a second', webhookJob({ schedule: { every: '500ms' } }), { code: 'cron.schedule.every-too-short', pointer: '/cron/jobs/nightly/schedule/every', message: /500ms/, hint: /1s or more/ }],
    ['a malformed duration', webhookJob({ misfire: { grace: 'soon' } }), { code: 'cron.duration.invalid', pointer: '/cron/jobs/nightly/misfire/grace', message: /misfire.grace is "soon"/, hint: /30s, 5m, 1h/ }],
    ['a zero timeout', webhookJob({ timeout: '0s' }), { code: 'cron.duration.invalid', pointer: '/cron/jobs/nightly/timeout', message: /not a positive duration/, hint: /30s/ }],
    ['a type without its settings', { type: 'system_event', schedule: { every: '1h' } }, { code: 'cron.job.missing-payload', pointer: '/cron/jobs/nightly/system_event', message: /type system_event but has no system_event settings/, hint: /system_event: \{message/ }],
    ['an unknown template variable', webhookJob({ webhook: { url: 'https://example.com/', body: '{"at":"{{run.when}}"}' } }), { code: 'cron.webhook.unknown-variable', pointer: '/cron/jobs/nightly/webhook/body', message: /\{\{run.when\}\}/, hint: /\{\{run.scheduled_at\}\}/ }],
    ['a GET with a body', webhookJob({ webhook: { url: 'https://example.com/', method: 'GET', body: 'x' } }), { code: 'cron.webhook.body-not-allowed', pointer: '/cron/jobs/nightly/webhook/body', message: /body with GET/, hint: /POST/ }],
    ['a delivery target without a target', { type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { message: 'hi', deliver_to: { channel: 'telegram' } } }, { code: 'cron.job.invalid-delivery', pointer: '/cron/jobs/nightly/agent_turn/deliver_to', message: /needs a channel and a target/, hint: /deliver_to: \{channel/ }],
    ['a stagger over an hour', webhookJob({ schedule: { cron: '0 * * * *', stagger: '2h' } }), { code: 'cron.schedule.stagger-too-long', pointer: '/cron/jobs/nightly/schedule/stagger', message: /2h/, hint: /at most 1h/ }],
    ['an invalid id', null, { code: 'cron.job.invalid-id', pointer: '/cron/jobs/bad id', message: /"bad id" is not a valid job id/, hint: /64 letters/ }],
  ];
  for (const [what, config, expected] of problems) {
    it(`reports ${what} where it is, with a fix`, () => {
      const result = config === null ? readCronJob('bad id', webhookJob(), { source: 'config', now: NOW, pastAt: 'error' }) : read(config);
      expect(result.job).toBeUndefined();
      const error = result.diagnostics.find((d) => d.level === 'error');
      expect(error).toMatchObject({ code: expected.code, pluginId: 'cron', source: { pointer: expected.pointer } });
      expect(error?.message).toMatch(expected.message);
      expect(error?.hint).toMatch(expected.hint);
    });
  }

  it('only warns about a past at for a job already in the config (it may have run), and keeps the job', () => {
    const result = read(webhookJob({ schedule: { at: '2025-12-24T18:00:00Z' } }), { pastAt: 'warning' });
    expect(result.job?.schedule).toEqual({ kind: 'at', atMs: Date.parse('2025-12-24T18:00:00Z') });
    expect(result.diagnostics).toEqual([expect.objectContaining({ level: 'warning', code: 'cron.schedule.at-past' })]);
  });

  it('warns about an expression that never fires, and about settings the job type ignores', () => {
    const result = read(webhookJob({ schedule: { cron: '0 0 30 2 *' }, agent_turn: { message: 'x' } }));
    expect(result.job).toBeDefined();
    expect(result.diagnostics.map((d) => [d.level, d.code, d.source?.pointer])).toEqual([
      ['warning', 'cron.schedule.never-fires', '/cron/jobs/nightly/schedule/cron'],
      ['warning', 'cron.job.unused-payload', '/cron/jobs/nightly/agent_turn'],
    ]);
  });

  it('never echoes a header value in a diagnostic', () => {
    const result = read(webhookJob({ webhook: { url: 'https://example.com/', headers: { 'bad header': 'Bearer s3cr3t-token' } } }));
    expect(result.diagnostics).toHaveLength(1);
    expect(JSON.stringify(result.diagnostics)).not.toContain('s3cr3t');
  });

  it('reads the whole section, leaving out (and reporting) jobs with errors', () => {
    const settings = readCronSection(
      { enabled: false, jobs: { good: webhookJob() as CronJobConfig, broken: webhookJob({ schedule: { cron: 'nope' } }) as CronJobConfig }, history: { max_runs_per_job: 50, max_age: '7d' } },
      { now: NOW, defaultTimezone: 'UTC', file: '/etc/nexus.yaml' },
    );
    expect(settings.enabled).toBe(false);
    expect(settings.jobs.map((j) => j.id)).toEqual(['good']);
    expect(settings.history).toEqual({ maxRunsPerJob: 50, maxAgeMs: 7 * 86_400_000 });
    expect(settings.diagnostics).toEqual([expect.objectContaining({ code: 'cron.schedule.invalid-cron', source: { file: '/etc/nexus.yaml', pointer: '/cron/jobs/broken/schedule/cron' } })]);
  });
});
