import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openaiBaseUrl, startFakeOpenAI, textReply } from '../../fixtures/llm-servers/index.js';
import { openStream } from '../../e2e/harness/gateway-stream.js';
import { tempDir, writePlugin } from '../../helpers/fixtures.js';
import { createApiKey, startGateway } from './gateway-test-kit.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');

/** A moderation plugin: drops messages that mention spam. */
function moderation(): string {
  return writePlugin(tempDir(), {
    id: 'moderation',
    manifest: { contributes: { hooks: [{ name: 'message.receiving', description: 'Drops spam.' }] } },
    entry: `import { definePlugin } from '@nexus/plugin-sdk';
export default definePlugin({ register(ctx) { ctx.onModify('message.receiving', (m) => (m.content.includes('spam') ? { ...m, drop: 'messages about spam are not accepted here' } : m)); } });`,
  });
}

describe('the Stream: message.receiving', () => {
  it('tells the API caller its message was dropped, with the reason, and runs no turn', async () => {
    await using llm = await startFakeOpenAI();
    llm.always(textReply('hello back'));
    const gw = await startGateway({
      settings: { llm: { default_provider: 'openai', providers: { openai: { base_url: openaiBaseUrl(llm), api_key: 'sk-test', default_model: 'gpt-test', max_retries: 0 } } } },
      with: [join(builtins, 'agent'), join(builtins, 'openai'), moderation()],
    });
    const { key } = await createApiKey(gw.kernel, 'ada');
    const stream = openStream(gw.target, { apiKey: key });
    stream.send('cheap spam for sale');
    expect((await stream.turnEnds(1))[0]).toMatchObject({
      $case: 'errorNotification',
      value: { code: 'message_dropped', message: 'the message was not accepted: messages about spam are not accepted here' },
    });
    expect(llm.streamRequests).toHaveLength(0);
    stream.send('hello');
    expect((await stream.turnEnds(2))[1]).toMatchObject({ $case: 'messageComplete' });
  });
});
