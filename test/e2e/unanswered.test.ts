import { describe, expect, it } from 'vitest';
import { httpError, startFakeOpenAI, textReply } from '../fixtures/llm-servers/index.js';
import { fakeLlm, nexusInstance, openStream, storedMessages } from './serve-harness.js';

const NOTE = '[3 earlier messages in this conversation got no answer: the reply to them failed or was cut short. They are included once here, oldest first; the message to answer now follows.]';

describe('e2e: messages whose turns failed', { timeout: 90_000 }, () => {
  it('are kept and marked, sent once in a note instead of piling up, and nexus chat says so', async () => {
    await using llm = await startFakeOpenAI();
    const nexus = nexusInstance({ llm: fakeLlm(llm) });
    const { key } = await nexus.createApiKey('ada');
    const server = await nexus.serve();

    // Three turns fail at the model; each says so.
    llm.push(httpError(400), httpError(400), httpError(400));
    const stream = openStream(server.target, { apiKey: key });
    for (let i = 1; i <= 3; i++) {
      stream.send('hello');
      const ends = await stream.turnEnds(i);
      expect(ends[i - 1]).toMatchObject({ $case: 'errorNotification', value: { code: 'invalid_request' } });
    }

    llm.push(textReply('Hi! Sorry about before.'));
    const chat = await nexus.cli(['chat', '--address', server.target, '--api-key', key, '-m', 'hello']);
    expect(chat.code).toBe(0);
    expect(chat.stdout).toBe('Hi! Sorry about before.\n');
    expect(chat.stderr).toContain('(note: 3 earlier messages of yours got no answer (their replies failed); they were sent along with this one');

    // The model got the three once, quoted in a note of their own, and the new one apart.
    const request = llm.streamRequests[3]!.body as { messages: { role: string; content: string }[] };
    const user = request.messages.filter((m) => m.role === 'user');
    expect(user).toHaveLength(1);
    expect(user[0]!.content).toBe(`${NOTE}\n\n> hello\n\n> hello\n\n> hello\n\nhello`);
    expect(JSON.stringify(request)).not.toContain('hello\\n\\nhello\\n\\nhello\\n\\nhello');

    // Stored: every message, each failed one followed by the record that it went unanswered.
    const stored = storedMessages(nexus.home, 'main:api:ada');
    expect(stored.map((m) => m.role)).toEqual(['user', 'system', 'user', 'system', 'user', 'system', 'user', 'assistant']);
    expect(stored[1]!.metadata).toMatchObject({ ended_by: 'error', error_code: 'invalid_request' });
    expect(stored[7]!.metadata).toMatchObject({ unanswered: { included: true, message_ids: expect.any(Array) } });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
