import { describe, expect, it } from 'vitest';
import type { JobOfType } from '../../../src/builtin-plugins/cron/config/index.js';
import type { ChannelDelivery, DeliveryRequest, PluginTurnRequest, PluginTurnResult, SystemEventRequest, TurnService } from '@nexus/plugin-sdk';
import { describeSession } from '../../../src/builtin-plugins/cron/config/index.js';
import { AgentTurnExecutor, createExecutors, CronRunError, HeartbeatExecutor, SystemEventExecutor, type RunContext } from '../../../src/builtin-plugins/cron/executors/index.js';
import { isHeartbeatAck } from '@nexus/plugin-sdk/prompt';
import { MINUTE, ManualTime, T0, history, job, sqliteDatabase, testScheduler } from './cron-test-kit.js';

/** The gateway's turn service, as far as cron sees it: sessions that answer with scripted replies. */
class ScriptedTurns implements TurnService {
  readonly requests: Omit<PluginTurnRequest, 'signal'>[] = [];
  readonly sessions = new Map<string, string[]>();
  readonly events: Omit<SystemEventRequest, 'signal'>[] = [];

  constructor(private readonly reply: (request: PluginTurnRequest) => string | PluginTurnResult | Promise<string>) {}

  async run(request: PluginTurnRequest): Promise<PluginTurnResult> {
    const { signal: _signal, ...rest } = request;
    this.requests.push(rest);
    const key = describeSession(request.session);
    const reply = await this.reply(request);
    if (typeof reply !== 'string') return reply;
    this.sessions.set(key, [...(this.sessions.get(key) ?? []), request.message, reply]);
    return { status: 'done', text: reply, sessionId: `session-for-${key}`, sessionKey: key };
  }

  async appendSystemEvent({ signal: _signal, ...request }: SystemEventRequest) {
    this.events.push(request);
    const key = describeSession(request.session);
    return { sessionId: `session-for-${key}`, sessionKey: key };
  }
}

class RecordedDelivery implements ChannelDelivery {
  readonly sent: Omit<DeliveryRequest, 'signal'>[] = [];
  constructor(private readonly fail?: Error) {}
  async deliver({ signal: _signal, ...request }: DeliveryRequest) {
    if (this.fail) throw this.fail;
    this.sent.push(request);
    return { deliveredAt: T0, externalId: `m${this.sent.length}` };
  }
}

const run: RunContext = { id: `daily@${T0}`, jobId: 'daily', scheduledAt: T0, kind: 'schedule', attempt: 1 };
const signal = new AbortController().signal;
const turnJob = (agentTurn: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  job('daily', { type: 'agent_turn', schedule: { every: '1h' }, agent_turn: agentTurn as never, ...extra }) as JobOfType<'agent_turn'>;
const heartbeatJob = (heartbeat: Record<string, unknown>) => job('hb', { type: 'heartbeat', schedule: { every: '30m' }, heartbeat: heartbeat as never }) as JobOfType<'heartbeat'>;
const cronMeta = { cron: { job_id: 'daily', run_id: `daily@${T0}`, kind: 'schedule', scheduled_at: '2026-01-05T09:00:00.000Z', attempt: 1 } };

describe('agent_turn jobs', () => {
  it("send the message into the job's own session with its model, timeout and iterations, and deliver the reply", async () => {
    const turns = new ScriptedTurns(() => '  Three new mails, one urgent.  ');
    const delivery = new RecordedDelivery();
    const result = await new AgentTurnExecutor({ turns, delivery }).execute(
      turnJob({ message: 'Summarise my inbox', model: 'openai/gpt-5', timeout: '2m', max_iterations: 4, deliver_to: { channel: 'telegram', account: 'main', target: '42' } }),
      run,
      signal,
    );
    expect(result).toEqual({ status: 'ok', output: 'Three new mails, one urgent.' });
    expect(turns.requests).toEqual([{ session: { channel: 'cron', conversationId: 'daily' }, message: 'Summarise my inbox', model: 'openai/gpt-5', timeoutMs: 120_000, maxIterations: 4, metadata: cronMeta }]);
    expect(delivery.sent).toEqual([{ channel: 'telegram', accountId: 'main', target: '42', content: 'Three new mails, one urgent.', metadata: cronMeta, sessionId: 'session-for-cron:daily' }]);
  });

  it('use a named session, and only store the reply without deliver_to', async () => {
    const turns = new ScriptedTurns(() => 'noted');
    const delivery = new RecordedDelivery();
    const result = await new AgentTurnExecutor({ turns, delivery }).execute(turnJob({ message: 'Log the time', session: 'main:telegram:42' }), run, signal);
    expect(result).toEqual({ status: 'ok', output: 'noted' });
    expect(turns.sessions.get('main:telegram:42')).toEqual(['Log the time', 'noted']);
    expect(delivery.sent).toEqual([]);
  });

  it('never give the turn longer than the job timeout', async () => {
    const turns = new ScriptedTurns(() => 'ok');
    await new AgentTurnExecutor({ turns }).execute(turnJob({ message: 'x', timeout: '1h' }, { timeout: '5m' }), run, signal);
    expect(turns.requests[0]!.timeoutMs).toBe(300_000);
  });

  it('deliver nothing when the reply is empty', async () => {
    const delivery = new RecordedDelivery();
    const result = await new AgentTurnExecutor({ turns: new ScriptedTurns(() => ' '), delivery }).execute(turnJob({ message: 'x', deliver_to: { channel: 'telegram', target: '42' } }), run, signal);
    expect(result).toEqual({ status: 'ok', output: '(empty reply, not delivered)' });
    expect(delivery.sent).toEqual([]);
  });

  it('pass on how the turn service classified its failure', async () => {
    const failing = (error: Error) => new AgentTurnExecutor({ turns: new ScriptedTurns(() => Promise.reject(error)) });
    expect(await failing(new CronRunError('rate limited by the provider', true)).execute(turnJob({ message: 'x' }), run, signal)).toEqual({ status: 'error', error: 'rate limited by the provider', transient: true });
    expect(await failing(new Error('unknown model')).execute(turnJob({ message: 'x' }), run, signal)).toEqual({ status: 'error', error: 'unknown model', transient: false });
  });

  it('take a failed turn as the turn service classified it, keeping what it produced', async () => {
    const ended = (transient: boolean): PluginTurnResult => ({ status: 'error', sessionId: 's', sessionKey: 'main:cron:daily', code: transient ? 'rate_limited' : 'unknown_model', message: 'the provider said no', transient, text: 'half an ans' });
    for (const transient of [true, false]) {
      const result = await new AgentTurnExecutor({ turns: new ScriptedTurns(() => ended(transient)) }).execute(turnJob({ message: 'x' }), run, signal);
      expect(result).toEqual({ status: 'error', error: `the turn ended error (${transient ? 'rate_limited' : 'unknown_model'}): the provider said no`, transient, output: 'half an ans' });
    }
  });

  it('fail for good, keeping the reply, when it cannot be delivered (a retry would repeat the turn)', async () => {
    const executor = new AgentTurnExecutor({ turns: new ScriptedTurns(() => 'the reply'), delivery: new RecordedDelivery(new Error('chat not found')) });
    expect(await executor.execute(turnJob({ message: 'x', deliver_to: { channel: 'telegram', target: '42' } }), run, signal)).toEqual({
      status: 'error',
      error: 'the reply was not delivered to telegram 42: chat not found (it is in session cron:daily)',
      transient: false,
      output: 'the reply',
    });
    const undeliverable = new AgentTurnExecutor({ turns: new ScriptedTurns(() => 'the reply') });
    expect(await undeliverable.execute(turnJob({ message: 'x', deliver_to: { channel: 'slack', account: 'work', target: 'C1' } }), run, signal)).toMatchObject({
      status: 'error',
      error: 'the reply could not be delivered to slack/work C1: no channel delivery is available',
    });
  });
});

describe('heartbeat jobs', () => {
  it('run a heartbeat turn in the session, marked as one', async () => {
    const turns = new ScriptedTurns(() => 'HEARTBEAT_OK');
    await new HeartbeatExecutor({ turns }).execute(heartbeatJob({ session: 'main:telegram:42' }), { ...run, jobId: 'hb', id: `hb@${T0}` }, signal);
    expect(turns.requests[0]).toMatchObject({ session: { key: 'main:telegram:42' }, message: 'heartbeat', metadata: { heartbeat: true, cron: { job_id: 'hb' } } });
  });

  it('do not deliver a reply that only says nothing needs attention, and deliver anything else', async () => {
    for (const [reply, delivered] of [
      ['HEARTBEAT_OK', false],
      ['**HEARTBEAT_OK**', false],
      ['  HEARTBEAT_OK.\n', false],
      ['', false],
      ['The disk is 95% full.', true],
      ['HEARTBEAT_OK, but the disk is 95% full.', true],
    ] as const) {
      const delivery = new RecordedDelivery();
      const result = await new HeartbeatExecutor({ turns: new ScriptedTurns(() => reply), delivery }).execute(
        heartbeatJob({ session: 'main:telegram:42', deliver_to: { channel: 'telegram', target: '42' } }),
        run,
        signal,
      );
      expect(result.status, reply).toBe('ok');
      expect(delivery.sent.length, reply).toBe(delivered ? 1 : 0);
    }
  });

  it('use the job’s own ok token', () => {
    expect(isHeartbeatAck('ALL_QUIET', 'ALL_QUIET')).toBe(true);
    expect(isHeartbeatAck('HEARTBEAT_OK', 'ALL_QUIET')).toBe(false);
  });
});

describe('system_event jobs', () => {
  it('add the message to the session without a model call', async () => {
    const turns = new ScriptedTurns(() => 'never asked');
    const eventJob = job('tick', { type: 'system_event', schedule: { every: '1h' }, system_event: { message: 'It is 9am.', session: 'main:telegram:42' } }) as JobOfType<'system_event'>;
    expect(await new SystemEventExecutor(turns).execute(eventJob, { ...run, jobId: 'tick', id: `tick@${T0}` }, signal)).toEqual({ status: 'ok', output: 'added to session main:telegram:42' });
    expect(turns.events).toEqual([{ session: { key: 'main:telegram:42' }, text: 'It is 9am.', metadata: { system_event: true, cron: expect.objectContaining({ job_id: 'tick' }) } }]);
    expect(turns.requests).toEqual([]);
  });
});

describe('job types under the scheduler', () => {
  it('run an agent turn every minute and keep each reply in the history', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    let n = 0;
    const turns = new ScriptedTurns(() => `reply ${++n}`);
    const { scheduler } = testScheduler({ db, time, executors: createExecutors({ clock: time, timers: time, turns }) });
    await scheduler.start([job('ask', { type: 'agent_turn', schedule: { every: '1m' }, agent_turn: { message: 'status?' } })]);
    await time.advance(2 * MINUTE);
    expect((await history(db, 'ask')).map((r) => [r.status, r.output])).toEqual([
      ['ok', 'reply 1'],
      ['ok', 'reply 2'],
    ]);
    expect(turns.sessions.get('cron:ask')).toEqual(['status?', 'reply 1', 'status?', 'reply 2']);
  });

  it('record a clear error for a job type whose service this process does not have', async () => {
    const { db } = await sqliteDatabase();
    const time = new ManualTime(T0);
    const { scheduler } = testScheduler({ db, time, executors: createExecutors({ clock: time, timers: time }) });
    await scheduler.start([job('ask', { type: 'agent_turn', schedule: { every: '1m' }, agent_turn: { message: 'status?' } })]);
    await time.advance(MINUTE);
    expect((await history(db, 'ask')).map((r) => [r.status, r.error])).toEqual([['error', 'no executor for agent_turn jobs is available in this process (the service it needs is not running)']]);
  });
});
