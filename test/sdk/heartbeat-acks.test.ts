import { describe, expect, it } from 'vitest';
import type { Message, MessageRole } from '@nexus/plugin-sdk';
import { isHeartbeatAck, withoutHeartbeatAcks } from '@nexus/plugin-sdk/prompt';

let next = 0;
function message(role: MessageRole, content: string, extra: Partial<Pick<Message, 'metadata' | 'toolCalls'>> = {}): Message {
  return { id: `m${++next}`, sessionId: 's', role, content, attachments: [], toolCalls: [], toolResults: [], metadata: {}, createdAt: next, ...extra };
}
const heartbeat = (metadata: Record<string, unknown> = {}) => message('user', 'heartbeat', { metadata: { heartbeat: true, ...metadata } });
const contents = (messages: readonly Message[]) => messages.map((m) => `${m.role}: ${m.content}`);

describe('withoutHeartbeatAcks', () => {
  it('drops heartbeat turns whose last reply is only the ok token, tool calls included, and keeps reports', () => {
    const messages = [
      message('user', 'hello'),
      message('assistant', 'hi'),
      heartbeat(),
      message('assistant', 'HEARTBEAT_OK'),
      heartbeat(),
      message('assistant', '', { toolCalls: [{ id: 't1', name: 'mail', input: {} }] }),
      message('tool', '3 unread'),
      message('assistant', '**HEARTBEAT_OK.**'),
      heartbeat(),
      message('assistant', 'The backup failed.'),
      message('user', 'which one?'),
    ];
    expect(contents(withoutHeartbeatAcks(messages))).toEqual(['user: hello', 'assistant: hi', 'user: heartbeat', 'assistant: The backup failed.', 'user: which one?']);
  });

  it("uses the job's own ok token, and never drops a user's message or a heartbeat still waiting for its reply", () => {
    const quiet = [heartbeat({ heartbeat_ok_token: 'ALL_QUIET' }), message('assistant', 'ALL_QUIET')];
    expect(withoutHeartbeatAcks(quiet)).toEqual([]);
    expect(withoutHeartbeatAcks([heartbeat(), message('assistant', 'ALL_QUIET')])).toHaveLength(2);
    expect(withoutHeartbeatAcks([message('user', 'say HEARTBEAT_OK'), message('assistant', 'HEARTBEAT_OK')])).toHaveLength(2);
    expect(withoutHeartbeatAcks([heartbeat()])).toHaveLength(1);
  });

  it('reads an ack as the token with punctuation or emphasis around it, or nothing', () => {
    expect(isHeartbeatAck('HEARTBEAT_OK')).toBe(true);
    expect(isHeartbeatAck(' `HEARTBEAT_OK` — ')).toBe(true);
    expect(isHeartbeatAck('')).toBe(true);
    expect(isHeartbeatAck('HEARTBEAT_OK, but the disk is full')).toBe(false);
  });
});
