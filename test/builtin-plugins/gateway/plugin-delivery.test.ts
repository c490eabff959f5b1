import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ChannelDeliveryToken } from '@nexus/plugin-sdk';
import { openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { tempDir, writePlugin } from '../../helpers/fixtures.js';
import { DraftChannelProbeToken } from './fixtures/draft-channel/index.js';
import { startGateway } from './gateway-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
const draftChannelDir = join(import.meta.dirname, 'fixtures/draft-channel');

/** Records message.sending, message.sent and message.failed, and cancels deliveries that mention "classified". */
function hookLog(): { readonly dir: string; readonly entries: () => { hook: string; payload: Record<string, unknown> }[] } {
  const root = tempDir();
  const log = join(root, 'hooks.jsonl');
  const dir = writePlugin(root, {
    id: 'delivery-hooks',
    manifest: { contributes: { hooks: [{ name: 'message.sending' }, { name: 'message.sent' }, { name: 'message.failed' }] } },
    entry: `import { appendFileSync } from 'node:fs';
import { definePlugin } from '@nexus/plugin-sdk';
const record = (hook, payload) => appendFileSync(${JSON.stringify(log)}, JSON.stringify({ hook, payload }) + '\\n');
export default definePlugin({ register(ctx) {
  ctx.onModify('message.sending', (m) => (record('message.sending', m), m.content.includes('classified') ? { ...m, cancel: 'classified content' } : { ...m, content: m.content.toUpperCase() }));
  ctx.onHook('message.sent', (m) => record('message.sent', m));
  ctx.onHook('message.failed', (m) => record('message.failed', m));
} });`,
  });
  return {
    dir,
    entries: () => {
      try {
        return readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      } catch {
        return [];
      }
    },
  };
}

/**
 * A plugin that resolves the gateway's sensitive services in `activate` and runs a turn and a
 * delivery through them, writing what happened to a file; with or without the permissions.
 */
function callerPlugin(id: string, permissions: readonly string[]): { readonly dir: string; readonly report: () => Record<string, unknown> } {
  const root = tempDir();
  const out = join(root, 'report.json');
  const dir = writePlugin(root, {
    id,
    manifest: { activation: ['onStartup'], permissions, contributes: { hooks: [{ name: 'kernel.ready' }] } },
    entry: `import { writeFileSync } from 'node:fs';
import { ChannelDeliveryToken, definePlugin, TurnServiceToken } from '@nexus/plugin-sdk';
const report = {};
const attempt = async (name, work) => { try { report[name] = { ok: await work() }; } catch (error) { report[name] = { error: error.message }; } };
export default definePlugin({
  register() {},
  async activate(ctx) {
    ctx.onHook('kernel.ready', async () => {
      await attempt('turn', async () => (await (await ctx.services.get(TurnServiceToken)).run({ session: { channel: 'cron', conversationId: '${id}' }, message: 'from a plugin' })).text);
      await attempt('delivery', async () => (await (await ctx.services.get(ChannelDeliveryToken)).deliver({ channel: 'drafty', target: 'room-1', content: 'from a plugin' })).externalId);
      writeFileSync(${JSON.stringify(out)}, JSON.stringify(report));
    });
  },
});`,
  });
  return { dir, report: () => JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown> };
}

const llmSettings = (baseUrl: string) => ({ llm: { default_provider: 'openai', providers: { openai: { base_url: baseUrl, api_key: 'sk-test', default_model: 'gpt-test', max_retries: 0 } } } });

describe('ChannelDelivery (nexus.gateway.delivery)', () => {
  it('sends through the channel after message.sending, then emits message.sent', async () => {
    const hooks = hookLog();
    const gw = await startGateway({ with: [draftChannelDir, hooks.dir] });
    const delivery = await gw.kernel.services.get(ChannelDeliveryToken);
    const probe = await gw.kernel.services.get(DraftChannelProbeToken);
    const receipt = await delivery.deliver({ channel: 'drafty', target: 'room-1', content: 'backup finished', sessionId: 's-1', messageId: 'm-1', metadata: { cron: 'nightly' } });
    expect(receipt).toMatchObject({ externalId: 'out-1', deliveredAt: expect.any(Number) });
    expect(receipt.cancelled).toBeUndefined();
    expect(probe.sent).toEqual([{ channel: 'drafty', accountId: 'default', target: 'room-1', content: 'BACKUP FINISHED', metadata: { cron: 'nightly' } }]);
    expect(hooks.entries()).toEqual([
      { hook: 'message.sending', payload: { channel: 'drafty', accountId: 'default', sessionId: 's-1', target: 'room-1', messageId: 'm-1', content: 'backup finished' } },
      { hook: 'message.sent', payload: { channel: 'drafty', accountId: 'default', sessionId: 's-1', messageId: 'm-1', latencyMs: expect.any(Number) } },
    ]);
  });

  it('sends nothing when message.sending cancels, and says why in the receipt', async () => {
    const hooks = hookLog();
    const gw = await startGateway({ with: [draftChannelDir, hooks.dir] });
    const delivery = await gw.kernel.services.get(ChannelDeliveryToken);
    const probe = await gw.kernel.services.get(DraftChannelProbeToken);
    expect(await delivery.deliver({ channel: 'drafty', accountId: 'ops', target: 'room-1', content: 'classified numbers' })).toMatchObject({ cancelled: 'classified content' });
    expect(probe.sent).toEqual([]);
    expect(hooks.entries().map((e) => e.hook)).toEqual(['message.sending']);
  });

  it('refuses a channel that is not active, naming the active ones', async () => {
    const gw = await startGateway({ with: [draftChannelDir] });
    const delivery = await gw.kernel.services.get(ChannelDeliveryToken);
    await expect(delivery.deliver({ channel: 'telegram', target: '-100123', content: 'hello' })).rejects.toThrow(
      'cannot deliver to channel "telegram": no active channel has that name (active: drafty, mute); enable the channel\'s plugin and configure channels.telegram, or pick one of those',
    );
  });
});

describe('the gateway services are sensitive', () => {
  it('lets a plugin that lists them in permissions run a turn and deliver', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('done by the agent'));
    const caller = callerPlugin('permitted-caller', ['nexus.gateway.turns', 'nexus.gateway.delivery']);
    const gw = await startGateway({ settings: llmSettings(openaiBaseUrl(llm)), with: [join(builtins, 'agent'), join(builtins, 'openai'), draftChannelDir, caller.dir] });
    expect(caller.report()).toEqual({ turn: { ok: 'done by the agent' }, delivery: { ok: 'out-1' } });
    expect((await gw.kernel.services.get(DraftChannelProbeToken)).sent).toMatchObject([{ target: 'room-1', content: 'from a plugin' }]);
  });

  it("refuses a plugin without the permission with the kernel's permission error", async () => {
    const caller = callerPlugin('unpermitted-caller', []);
    const gw = await startGateway({ with: [draftChannelDir, caller.dir] });
    expect(caller.report()).toEqual({
      turn: {
        error:
          'plugin unpermitted-caller resolved the sensitive service "nexus.gateway.turns" (provided by gateway) without permission: add "permissions": ["nexus.gateway.turns"] to its nexus.plugin.json (operators see it in `nexus plugins info unpermitted-caller`)',
      },
      delivery: {
        error:
          'plugin unpermitted-caller resolved the sensitive service "nexus.gateway.delivery" (provided by gateway) without permission: add "permissions": ["nexus.gateway.delivery"] to its nexus.plugin.json (operators see it in `nexus plugins info unpermitted-caller`)',
      },
    });
    expect((await gw.kernel.services.get(DraftChannelProbeToken)).sent).toEqual([]);
  });
});
