// Each job type end to end in one kernel: the real gateway (its TurnService and ChannelDelivery),
// the agent runtime with the OpenAI provider against the fake server, the webhook channel posting
// signed replies to an integrator's callback receiver, SQLite storage, and the cron plugin. Runs
// are started with `nexus cron run <id> --now` (claimed and recorded like scheduled ones); the
// scheduler's own timing is covered with manual time in cron-plugin.test.ts.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { runCommandLine } from '../../helpers/command-line.js';
import { startGateway } from '../gateway/gateway-test-kit.js';
import { SECRET, startReceiver } from '../webhook/webhook-test-kit.js';
import { webhookReceiver } from './cron-plugin-kit.js';
import { tempDir } from './cron-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const plugins = ['storage', 'storage-sqlite', 'agent', 'openai', 'webhook', 'http', 'cron'].map((id) => join(builtins, id));

describe('cron jobs through a real gateway, the fake provider and the webhook channel', { timeout: 120_000 }, () => {
  it('runs each job type: an agent turn delivered, a heartbeat delivered only when it has news, a webhook, a system event the next turn sees', async () => {
    await using llm = await startFakeOpenAI();
    const callback = await startReceiver();
    const hook = await webhookReceiver();
    const gw = await startGateway({
      withoutStorage: true,
      with: plugins,
      settings: {
        database: { path: join(tempDir(), 'nexus.db') },
        server: { host: '127.0.0.1', http_port: 0 },
        llm: { default_provider: 'openai', providers: { openai: { base_url: openaiBaseUrl(llm), api_key: 'sk-test', default_model: 'gpt-test', max_retries: 0 } } },
        session: { heartbeat: { enabled: true, mode: 'on_demand' } },
        channels: { webhook: { accounts: { acme: { secret: SECRET, callback_url: callback.url } }, dead_letter_file: join(tempDir(), 'dead.jsonl') } },
        cron: {
          jobs: {
            brief: { type: 'agent_turn', schedule: { cron: '0 8 * * *' }, agent_turn: { message: 'Give me the morning brief', deliver_to: { channel: 'webhook', account: 'acme', target: 'conv-1' } } },
            checkin: { type: 'heartbeat', schedule: { every: '30m' }, heartbeat: { session: 'main:webhook:acme:conv-1', deliver_to: { channel: 'webhook', account: 'acme', target: 'conv-1' } } },
            ping: { type: 'webhook', schedule: { every: '1h' }, webhook: { url: hook.url, body: '{"run": "{{run.id}}", "kind": "{{run.kind}}"}' } },
            note: { type: 'system_event', schedule: { every: '1h' }, system_event: { session: 'main:cron:brief', message: 'The office is closed today.' } },
          },
        },
      },
    });
    const run = async (id: string) => {
      const result = await runCommandLine(gw.kernel, 'cron', ['run', id, '--now', '--json']);
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as { status: string; output: string | null; error: string | null };
    };

    // agent_turn: the reply goes to the webhook channel's callback, signed.
    llm.push(textReply('Three meetings, ', 'no urgent mail.'));
    expect(await run('brief')).toMatchObject({ status: 'ok', output: 'Three meetings, no urgent mail.' });
    expect(callback.calls).toHaveLength(1);
    expect(callback.calls[0]!.verified).toBe(true);
    expect(JSON.parse(callback.calls[0]!.body)).toMatchObject({ conversation_id: 'conv-1', content: 'Three meetings, no urgent mail.' });
    expect(JSON.stringify(llm.streamRequests[0]!.body.messages)).toContain('Give me the morning brief');

    // heartbeat: the checklist turn; HEARTBEAT_OK is not delivered, news is.
    llm.push(textReply('HEARTBEAT_OK'));
    expect(await run('checkin')).toMatchObject({ status: 'ok', output: 'HEARTBEAT_OK (not delivered)' });
    expect(callback.calls).toHaveLength(1);
    llm.push(textReply('The backup failed last night.'));
    expect(await run('checkin')).toMatchObject({ status: 'ok', output: 'The backup failed last night.' });
    expect(callback.calls).toHaveLength(2);
    expect(JSON.parse(callback.calls[1]!.body)).toMatchObject({ content: 'The backup failed last night.' });
    // The exchange that found nothing is left out of what later turns send the model (the store
    // keeps it); the report stays, so the next heartbeat knows what it said.
    const conversation = () => (llm.streamRequests.at(-1)!.body.messages as { role: string; content: unknown }[]).filter((m) => m.role !== 'system').map((m) => `${m.role}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`);
    expect(conversation().filter((m) => m.includes('HEARTBEAT_OK') || m === 'user: heartbeat')).toEqual(['user: heartbeat']);
    llm.push(textReply('HEARTBEAT_OK'));
    expect(await run('checkin')).toMatchObject({ status: 'ok', output: 'HEARTBEAT_OK (not delivered)' });
    expect(conversation().slice(-3)).toEqual(['user: heartbeat', 'assistant: The backup failed last night.', 'user: heartbeat']);
    expect(callback.calls).toHaveLength(2);

    // webhook: the body template, a 2xx answer.
    const pinged = await run('ping');
    expect(pinged).toMatchObject({ status: 'ok', output: '204 No Content' });
    expect(JSON.parse(hook.bodies[0]!)).toMatchObject({ run: expect.stringMatching(/^ping@\d+$/), kind: 'manual' });

    // system_event: into the brief's own session without a model call; the next turn sees it.
    const calls = llm.streamRequests.length;
    expect(await run('note')).toMatchObject({ status: 'ok', output: 'added to session main:cron:brief' });
    expect(llm.streamRequests).toHaveLength(calls);
    llm.push(textReply('Noted, the office is closed.'));
    expect(await run('brief')).toMatchObject({ status: 'ok' });
    expect(JSON.stringify(llm.streamRequests.at(-1)!.body.messages)).toContain('The office is closed today.');

    // Every run is in the history.
    const history = JSON.parse((await runCommandLine(gw.kernel, 'cron', ['list', '--json'])).stdout) as { id: string; lastRun: { status: string } }[];
    expect(Object.fromEntries(history.map((j) => [j.id, j.lastRun.status]))).toEqual({ brief: 'ok', checkin: 'ok', note: 'ok', ping: 'ok' });
  });
});
