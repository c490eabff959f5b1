import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DoctorChecks, ToolSources } from '@nexus/plugin-sdk';
import { CRON_SECTION_SCHEMA } from '../../../src/builtin-plugins/cron/config/index.js';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { cronKernel, cronPluginDir, FakeDelivery, FakeTurns, serveReady, until, webhookReceiver } from './cron-plugin-kit.js';
import { HOUR, MINUTE, ManualTime, T0 } from './cron-test-kit.js';

const signal = new AbortController().signal;

describe('the cron plugin', () => {
  it('honours its manifest, whose cron section is the schema the engine validates with', async () => {
    const report = await verifyPluginContract({ plugin: cronPluginDir });
    expect(report.problems).toEqual([]);
    expect([...report.resolved].sort()).toEqual(['commands:cron', 'doctorChecks:cron-jobs', 'migrations:cron', 'toolSources:cron']);
    const manifest = JSON.parse(readFileSync(join(cronPluginDir, 'nexus.plugin.json'), 'utf8'));
    expect(manifest.configSections).toBeUndefined();
    expect(manifest.contributes.configSections).toEqual([{ section: 'cron', schema: JSON.parse(JSON.stringify(CRON_SECTION_SCHEMA)) }]);
    expect(manifest.permissions).toEqual(['nexus.store.sql', 'nexus.gateway.turns', 'nexus.gateway.delivery']);
  });

  it('adds, lists, runs, disables and removes stored jobs from the CLI, and refuses to change config jobs', async () => {
    const hook = await webhookReceiver();
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time, cron: { jobs: { nightly: { type: 'webhook', schedule: { cron: '0 3 * * *', timezone: 'Europe/Berlin' }, webhook: { url: hook.url } } } } });
    const cron = (...argv: string[]) => runCommandLine(kernel, 'cron', argv);

    const added = await cron('add', 'ping', '--type', 'webhook', '--every', '1h', '--url', hook.url, '--body', '{{run.id}}', '--headers', '{"Authorization":"Bearer s3cret"}');
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain('added job ping: webhook, every 1h');
    expect(added.stdout).toContain(`next run: ${new Date(T0 + HOUR).toISOString()}`);
    expect(added.stdout).not.toContain('s3cret');

    const past = await cron('add', 'late', '--type', 'webhook', '--at', '2020-01-01T00:00Z', '--url', hook.url);
    expect(past.code).toBe(1);
    expect(past.stderr).toMatch(/has passed, so one-shot job "late" will not run again/);
    expect((await cron('add', 'ping', '--type', 'webhook', '--every', '1h', '--url', hook.url)).stderr).toMatch(/a job with id "ping" already exists/);
    expect((await cron('add', 'nightly', '--type', 'webhook', '--every', '1h', '--url', hook.url)).stderr).toMatch(/is defined in the config file/);

    for (const sub of ['edit', 'rm', 'disable']) {
      const refused = await cron(sub, 'nightly', ...(sub === 'edit' ? ['--every', '2h'] : []));
      expect(refused.code, sub).toBe(1);
      expect(refused.stderr, sub).toMatch(/job "nightly" comes from the config file \(cron.jobs.nightly\) and is read-only here; edit cron.jobs.nightly/);
    }

    const listed = JSON.parse((await cron('list', '--json')).stdout);
    expect(listed).toEqual([
      expect.objectContaining({ id: 'nightly', source: 'config', enabled: true, schedule: 'cron "0 3 * * *" Europe/Berlin', nextRunAt: '2026-01-06T02:00:00.000Z', lastRun: null }),
      expect.objectContaining({ id: 'ping', source: 'store', enabled: true, schedule: 'every 1h', nextRunAt: new Date(T0 + HOUR).toISOString() }),
    ]);

    expect((await cron('run', 'ping')).stdout).toContain('pass --now to run it');
    expect(hook.bodies).toEqual([]);
    const ran = await cron('run', 'ping', '--now', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ outcome: 'running', jobId: 'ping', kind: 'manual', status: 'ok', output: '204 No Content' });
    expect(hook.bodies).toEqual([`ping@${T0}`]);

    const runs = JSON.parse((await cron('runs', 'ping', '--limit', '5', '--json')).stdout);
    expect(runs).toEqual([expect.objectContaining({ scheduledAt: new Date(T0).toISOString(), status: 'ok', kind: 'manual' })]);

    await cron('edit', 'ping', '--every', '30m');
    expect((await cron('disable', 'ping')).stdout).toBe('job ping is disabled\n');
    const status = JSON.parse((await cron('status', '--json', '--count', '2')).stdout);
    expect(status).toEqual({
      enabled: true,
      running: [],
      jobs: [
        { id: 'nightly', enabled: true, timezone: 'Europe/Berlin', nextRuns: [{ utc: '2026-01-06T02:00:00.000Z', local: '2026-01-06 03:00:00 Europe/Berlin' }, { utc: '2026-01-07T02:00:00.000Z', local: '2026-01-07 03:00:00 Europe/Berlin' }] },
        { id: 'ping', enabled: false, timezone: 'UTC', nextRuns: [] },
      ],
    });
    expect((await cron('rm', 'ping')).stdout).toBe('removed job ping\n');
    expect((await cron('rm', 'ping')).stderr).toMatch(/there is no stored job "ping"/);
    expect((await cron('runs', 'nightly')).stdout).toBe('job nightly has not run yet\n');
  });

  it('starts the scheduler when serve is ready: a stored job fires at its time, and stops with the kernel', async () => {
    const hook = await webhookReceiver();
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time });
    await runCommandLine(kernel, 'cron', ['add', 'hourly', '--type', 'webhook', '--every', '1h', '--url', hook.url, '--body', '{{run.id}}']);
    await serveReady(kernel);
    await vi.waitFor(() => expect(kernel.logs.map((l) => l.msg)).toContain('cron: scheduling 1 job(s)'));
    for (let minute = 0; minute < 60; minute++) await time.advance(MINUTE);
    await until(time, () => expect(hook.bodies).toEqual([`hourly@${T0 + HOUR}`]));
    await vi.waitFor(async () => expect(JSON.parse((await runCommandLine(kernel, 'cron', ['runs', 'hourly', '--json'])).stdout)).toEqual([expect.objectContaining({ kind: 'schedule', status: 'ok' })]));
  });

  it('holds no timer with no job anywhere, and starts the scheduler at once when the agent tool adds the first one', async () => {
    const hook = await webhookReceiver();
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time, cron: { agent_tool: { enabled: true } } });
    await serveReady(kernel);
    await vi.waitFor(() => expect(kernel.logs.map((l) => l.msg)).toContain('cron: no jobs configured or stored; nothing to schedule (a job `nexus cron add` stores now is scheduled at the next start)'), { timeout: 10_000 });
    expect(time.timerCount).toBe(0);
    const source = await kernel.contributions.get(ToolSources, 'cron');
    const added = await source.call('cron', { action: 'add', id: 'soon', job: { type: 'webhook', schedule: { every: '5m' }, webhook: { url: hook.url, body: '{{run.id}}' } } }, { signal, logger: undefined as never });
    expect(added.isError).toBeUndefined();
    expect(kernel.logs.map((l) => l.msg)).toContain('cron: jobs were added; starting the scheduler');
    for (let minute = 0; minute < 5; minute++) await time.advance(MINUTE);
    await until(time, () => expect(hook.bodies).toEqual([`soon@${T0 + 5 * MINUTE}`]));
  });

  it('schedules at start the jobs `nexus cron add` stored while no server ran', async () => {
    const hook = await webhookReceiver();
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time });
    await runCommandLine(kernel, 'cron', ['add', 'soon', '--type', 'webhook', '--every', '5m', '--url', hook.url, '--body', '{{run.id}}']);
    await serveReady(kernel);
    await vi.waitFor(() => expect(kernel.logs.map((l) => l.msg)).toContain('cron: scheduling 1 job(s)'));
    for (let minute = 0; minute < 5; minute++) await time.advance(MINUTE);
    await until(time, () => expect(hook.bodies).toEqual([`soon@${T0 + 5 * MINUTE}`]));
  });

  it('leaves the scheduler off on a replica with cron.enabled false', async () => {
    const hook = await webhookReceiver();
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time, cron: { enabled: false, jobs: { tick: { type: 'webhook', schedule: { every: '1m' }, webhook: { url: hook.url } } } } });
    await serveReady(kernel);
    await vi.waitFor(() => expect(kernel.logs.map((l) => l.msg)).toContain('cron: the scheduler is off on this host (cron.enabled: false); other replicas run the jobs'));
    expect(time.timerCount).toBe(0);
    await time.advance(10 * MINUTE);
    expect(hook.bodies).toEqual([]);
    expect(JSON.parse((await runCommandLine(kernel, 'cron', ['status', '--json'])).stdout).enabled).toBe(false);
  });

  it('runs agent turns, heartbeats and system events through the gateway services, delivering only what is worth it', async () => {
    const time = new ManualTime(T0);
    const turns = new FakeTurns((request) => (request.metadata?.heartbeat === true ? 'HEARTBEAT_OK' : 'Three new mails.'));
    const delivery = new FakeDelivery();
    const kernel = cronKernel({
      time,
      turns,
      delivery,
      cron: {
        jobs: {
          inbox: { type: 'agent_turn', schedule: { cron: '0 9 * * *' }, agent_turn: { message: 'Summarise my inbox', model: 'openai/gpt-5', max_iterations: 3, deliver_to: { channel: 'telegram', target: '42' } } },
          check: { type: 'heartbeat', schedule: { every: '30m' }, heartbeat: { session: 'main:telegram:42', deliver_to: { channel: 'telegram', target: '42' } } },
          note: { type: 'system_event', schedule: { every: '1h' }, system_event: { message: 'It is a new hour.', session: 'main:telegram:42' } },
        },
      },
    });
    const run = (id: string) => runCommandLine(kernel, 'cron', ['run', id, '--now', '--json']);
    expect(JSON.parse((await run('inbox')).stdout)).toMatchObject({ status: 'ok', output: 'Three new mails.' });
    expect(turns.requests[0]).toMatchObject({ session: { channel: 'cron', conversationId: 'inbox' }, message: 'Summarise my inbox', model: 'openai/gpt-5', maxIterations: 3, metadata: { cron: { job_id: 'inbox', kind: 'manual' } } });
    expect(delivery.sent).toEqual([expect.objectContaining({ channel: 'telegram', target: '42', content: 'Three new mails.' })]);

    expect(JSON.parse((await run('check')).stdout)).toMatchObject({ status: 'ok', output: 'HEARTBEAT_OK (not delivered)' });
    expect(turns.requests[1]).toMatchObject({ session: { key: 'main:telegram:42' }, metadata: { heartbeat: true } });
    expect(delivery.sent).toHaveLength(1);

    expect(JSON.parse((await run('note')).stdout)).toMatchObject({ status: 'ok', output: 'added to session main:telegram:42' });
    expect(turns.events).toEqual([expect.objectContaining({ session: { key: 'main:telegram:42' }, text: 'It is a new hour.' })]);
    expect(turns.requests).toHaveLength(2);
  });

  it('fails turn jobs with a clear error where no plugin provides the turn service', async () => {
    const kernel = cronKernel({ time: new ManualTime(T0), cron: { jobs: { inbox: { type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { message: 'hi' } } } } });
    const ran = await runCommandLine(kernel, 'cron', ['run', 'inbox', '--now']);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/error — agent_turn, heartbeat and system_event jobs need the gateway's turn service \(nexus.gateway.turns\), which no enabled plugin provides/);
  });
});

describe('the agent tool cron', () => {
  it('is not offered unless cron.agent_tool.enabled is on', async () => {
    const kernel = cronKernel({ time: new ManualTime(T0) });
    const source = await kernel.contributions.get(ToolSources, 'cron');
    expect(await source.list({ signal })).toEqual([]);
    expect(await source.call('cron', { action: 'list' }, { signal, logger: kernel.services as never })).toEqual({ content: 'The cron tool is switched off (cron.agent_tool.enabled).', isError: true });
  });

  it('lists, adds and removes only the agent’s own jobs, validated like the config file', async () => {
    const time = new ManualTime(T0);
    const kernel = cronKernel({ time, cron: { agent_tool: { enabled: true }, jobs: { nightly: { type: 'webhook', schedule: { every: '1d' }, webhook: { url: 'http://127.0.0.1:9/x' } } } } });
    await runCommandLine(kernel, 'cron', ['add', 'operator', '--type', 'webhook', '--every', '1h', '--url', 'http://127.0.0.1:9/y']);
    const source = await kernel.contributions.get(ToolSources, 'cron');
    const [declaration] = await source.list({ signal });
    expect(declaration).toMatchObject({ name: 'cron', inputSchema: { required: ['action'] } });
    const call = (input: unknown) => source.call('cron', input, { signal, logger: undefined as never });

    expect(await call({ action: 'list' })).toEqual({ content: 'You have no scheduled jobs.' });
    expect(await call({ action: 'add', id: 'remind', job: { type: 'agent_turn', schedule: { at: '2026-01-05T17:00:00Z' }, agent_turn: { message: 'Remind me to call Ada' } } })).toEqual({ content: 'Added job remind: at 2026-01-05T17:00:00.000Z; next run 2026-01-05T17:00:00.000Z.' });
    const refused = await call({ action: 'add', id: 'bad', job: { type: 'agent_turn', schedule: { cron: '0 0 31 2 *' }, agent_turn: {} } });
    expect(refused.isError).toBe(true);
    expect(refused.content).toMatch(/agent_turn.message of job "bad" must be a non-empty string/);
    expect((await call({ action: 'list' })).content).toBe('- remind: agent_turn, at 2026-01-05T17:00:00.000Z, session cron:remind; next run 2026-01-05T17:00:00.000Z');
    expect(await call({ action: 'remove', id: 'operator' })).toMatchObject({ isError: true, content: expect.stringContaining('not one of your jobs') });
    expect(await call({ action: 'remove', id: 'nightly' })).toMatchObject({ isError: true });
    expect(await call({ action: 'remove', id: 'remind' })).toEqual({ content: 'Removed job remind.' });
    expect(JSON.parse((await runCommandLine(kernel, 'cron', ['list', '--json'])).stdout).map((j: { id: string }) => j.id)).toEqual(['nightly', 'operator']);
  });
});

describe('nexus doctor: cron-jobs', () => {
  it('warns on deliveries to channels that are missing or not configured, expressions that never fire, past `at` times and heartbeats without a checklist', async () => {
    const time = new ManualTime(T0);
    const kernel = cronKernel({
      time,
      settings: { channels: { telegram: {} } },
      cron: {
        jobs: {
          feb30: { type: 'webhook', schedule: { cron: '0 0 30 2 *' }, webhook: { url: 'http://127.0.0.1:9/x' } },
          gone: { type: 'webhook', schedule: { at: '2025-12-31T00:00:00Z' }, webhook: { url: 'http://127.0.0.1:9/x' } },
          slack: { type: 'agent_turn', schedule: { every: '1h' }, agent_turn: { message: 'hi', deliver_to: { channel: 'slack', target: 'C1' } } },
          hb: { type: 'heartbeat', schedule: { every: '30m' }, heartbeat: { session: 'main:api:local' } },
        },
      },
    });
    const check = await kernel.contributions.get(DoctorChecks, 'cron-jobs');
    const findings = await check.run({ signal, probe: false });
    const messages = findings.map((f) => `${f.level}: ${f.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warning: "0 0 30 2 \*" has no run after now in UTC, so job "feb30" will never run/),
        expect.stringMatching(/^warning: schedule.at "2025-12-31T00:00:00Z" .* has passed, so one-shot job "gone" will not run again/),
        expect.stringMatching(/^error: cron.jobs.slack delivers to channel "slack", which no enabled plugin provides/),
        expect.stringMatching(/^warning: cron.jobs.hb runs heartbeats, but session.heartbeat.enabled is false/),
      ]),
    );
  });
});
