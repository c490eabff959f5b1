import { describe, expect, it } from 'vitest';
import type { LlmMessage } from '@nexus/plugin-sdk';
import { agentKernel, harness, ofType, says } from './agent-test-kit.js';

function texts(messages: readonly LlmMessage[]): string[] {
  return messages.map((m) => `${m.role}: ${m.content.map((p) => (p.type === 'text' ? p.text : p.type === 'tool_call' ? `call ${p.call.id}` : `result ${p.callId}`)).join(' | ')}`);
}

describe('agent runtime: history', () => {
  it('sends the stored message once when the gateway stored it first and passes its id', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'My name is Ada.' });
    await h.append({ role: 'assistant', content: 'Nice to meet you, Ada.' });
    const current = await h.append({ role: 'user', content: 'What is my name?' });
    h.llm.script(says('Ada.'));

    await h.run(h.turn('What is my name?', { messageId: current }));

    expect(texts(h.llm.requests[0]!.messages)).toEqual(['user: My name is Ada.', 'assistant: Nice to meet you, Ada.', 'user: What is my name?']);
  });

  it('sends the message once when no id is given, because it is not stored yet', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'My name is Ada.' });
    await h.append({ role: 'assistant', content: 'Nice to meet you, Ada.' });
    h.llm.script(says('Ada.'));

    await h.run(h.turn('What is my name?'));

    expect(texts(h.llm.requests[0]!.messages)).toEqual(['user: My name is Ada.', 'assistant: Nice to meet you, Ada.', 'user: What is my name?']);
  });

  it('keeps only the last agent.history_limit earlier messages, never counting the current one', async () => {
    await using kernel = agentKernel({ settings: { agent: { history_limit: 2 } } });
    const h = await harness(kernel);
    for (const [i, role] of (['user', 'assistant', 'user', 'assistant'] as const).entries()) await h.append({ role, content: `m${i}` });
    const current = await h.append({ role: 'user', content: 'now' });
    h.llm.script(says('ok'));

    await h.run(h.turn('now', { messageId: current }));

    expect(texts(h.llm.requests[0]!.messages)).toEqual(['user: m2', 'assistant: m3', 'user: now']);
  });

  it('sends no history with agent.history_limit 0', async () => {
    await using kernel = agentKernel({ settings: { agent: { history_limit: 0 } } });
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'old' });
    await h.append({ role: 'assistant', content: 'older reply' });
    h.llm.script(says('ok'));

    await h.run(h.turn('new'));

    expect(texts(h.llm.requests[0]!.messages)).toEqual(['user: new']);
  });

  it('replays stored tool calls and results as the exchange they were', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'weather?' });
    // The gateway stores a turn's reply as one message: its calls, their results and the answer.
    await h.append({
      role: 'assistant',
      content: 'Sunny, 21 °C.',
      toolCalls: [{ id: 't1', name: 'weather', input: { city: 'Paris' } }],
      toolResults: [{ callId: 't1', content: 'sunny 21' }],
    });
    h.llm.script(says('ok'));

    await h.run(h.turn('and tomorrow?'));

    expect(h.llm.requests[0]!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather?' }] },
      { role: 'assistant', content: [{ type: 'tool_call', call: { id: 't1', name: 'weather', input: { city: 'Paris' } } }] },
      { role: 'user', content: [{ type: 'tool_result', callId: 't1', content: 'sunny 21', isError: false }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Sunny, 21 °C.' }] },
      { role: 'user', content: [{ type: 'text', text: 'and tomorrow?' }] },
    ]);
  });

  it('drops tool calls left without results and history that would open with the assistant', async () => {
    await using kernel = agentKernel({ settings: { agent: { history_limit: 3 } } });
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'first' });
    await h.append({ role: 'assistant', content: 'cut off by the limit' });
    await h.append({ role: 'user', content: 'do it' });
    // A turn cancelled mid-tool: the call was stored, its result never came.
    await h.append({ role: 'assistant', content: 'Working on it', toolCalls: [{ id: 'lost', name: 'sleep', input: { ms: 1 } }] });
    h.llm.script(says('ok'));

    await h.run(h.turn('well?'));

    expect(texts(h.llm.requests[0]!.messages)).toEqual(['user: do it', 'assistant: Working on it', 'user: well?']);
  });

  it('shapes a text-only history: no opening assistant, no system notes or blanks, tool text as the user, one message per role run', async () => {
    await using kernel = agentKernel({ settings: { agent: { history_limit: 7 } } });
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'cut off by the limit' });
    await h.append({ role: 'assistant', content: 'opening reply' });
    await h.append({ role: 'system', content: 'operator note' });
    await h.append({ role: 'user', content: 'question' });
    await h.append({ role: 'tool', content: 'tool output as text' });
    await h.append({ role: 'assistant', content: '   ' });
    await h.append({ role: 'assistant', content: 'answer' });
    await h.append({ role: 'assistant', content: 'more' });
    h.llm.script(says('ok'));

    await h.run(h.turn('next'));

    expect(h.llm.requests[0]!.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'question' }, { type: 'text', text: 'tool output as text' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'answer' }, { type: 'text', text: 'more' }] },
      { role: 'user', content: [{ type: 'text', text: 'next' }] },
    ]);
  });

  it('sends messages that got no answer once each, in a marked note of their own, not merged into the new one', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    // Three turns failed: each stored its message and a record that it went unanswered.
    for (let i = 0; i < 3; i++) {
      const id = await h.append({ role: 'user', content: 'hello' });
      await h.append({ role: 'system', content: `No answer was given to message ${id}: the turn failed (rate_limit).`, metadata: { unanswered: id } });
    }
    const current = await h.append({ role: 'user', content: 'hello' });
    h.llm.script(says('Hi!'));

    const events = await h.run(h.turn('hello', { messageId: current }));

    const [only] = h.llm.requests[0]!.messages;
    expect(h.llm.requests[0]!.messages).toHaveLength(1);
    expect(only!.role).toBe('user');
    expect(only!.content).toEqual([
      {
        type: 'text',
        text: '[3 earlier messages in this conversation got no answer: the reply to them failed or was cut short. They are included once here, oldest first; the message to answer now follows.]\n\n> hello\n\n> hello\n\n> hello',
      },
      { type: 'text', text: 'hello' },
    ]);
    expect(ofType(events, 'unanswered')).toEqual([{ type: 'unanswered', messageIds: expect.any(Array), included: true }]);
    expect(ofType(events, 'unanswered')[0]!.messageIds).toHaveLength(3);
  });

  it('keeps a note with the message that followed unanswered ones, in later turns too, and sends answered exchanges as they were', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'first try\nwith two lines' });
    await h.append({ role: 'user', content: 'second try' });
    await h.append({ role: 'assistant', content: 'Sorry, I was away.' });
    h.llm.script(says('ok'));

    await h.run(h.turn('thanks'));

    expect(texts(h.llm.requests[0]!.messages)).toEqual([
      'user: [An earlier message in this conversation got no answer: the reply to it failed or was cut short. It is included once here, oldest first; the message to answer now follows.]\n\n> first try\n> with two lines | second try',
      'assistant: Sorry, I was away.',
      'user: thanks',
    ]);
  });

  it('leaves messages that got no answer out with agent.unanswered_messages: drop, and says so', async () => {
    await using kernel = agentKernel({ settings: { agent: { unanswered_messages: 'drop' } } });
    const h = await harness(kernel);
    await h.append({ role: 'user', content: 'hello?' });
    h.llm.script(says('ok'));

    const events = await h.run(h.turn('anyone there?'));

    expect(h.llm.requests[0]!.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'anyone there?' }] }]);
    expect(ofType(events, 'unanswered')).toEqual([{ type: 'unanswered', messageIds: [expect.any(String)], included: false }]);
  });

  it('ends the turn with a clear error when the session does not exist', async () => {
    await using kernel = agentKernel();
    const h = await harness(kernel);
    h.llm.script(says('ok'));

    const events = await h.run({ ...h.turn('hi'), sessionId: '00000000-0000-7000-8000-000000000000' });

    expect(events).toEqual([
      { type: 'error', code: 'internal', message: expect.stringMatching(/cannot read the history of session 00000000-0000-7000-8000-000000000000: .*not found/), partial: false },
    ]);
    expect(h.llm.requests).toEqual([]);
  });
});
