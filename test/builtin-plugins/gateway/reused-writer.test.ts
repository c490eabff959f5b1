import { describe, expect, it } from 'vitest';
import { ChunkType, NexusGatewayService, ServerMessage } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/gateway.js';
import { Direction, Role } from '../../../src/builtin-plugins/gateway/generated/nexus/v1/common.js';
import { reusedWriterSerializer } from '../../../src/builtin-plugins/gateway/grpc/reused-writer.js';

const ids = { messageId: 'turn-1', sessionId: 'session-1' };
const chunk = (content: string, sequence: number): ServerMessage => ({ payload: { $case: 'messageChunk', value: { ...ids, content, sequence, type: ChunkType.CHUNK_TYPE_TEXT } } });
const complete = (content: string): ServerMessage => ({
  payload: {
    $case: 'messageComplete',
    value: {
      ...ids,
      message: {
        id: 'm-1',
        sessionId: ids.sessionId,
        channel: 'api',
        channelId: '',
        direction: Direction.DIRECTION_OUTBOUND,
        role: Role.ROLE_ASSISTANT,
        content,
        attachments: [],
        toolCalls: [{ id: 't1', name: 'weather', input: '{"city":"Paris"}' }],
        toolResults: [],
        metadata: { turn_id: 'turn-1', usage: '{"input_tokens":1}' },
        createdAt: new Date(1_700_000_000_000),
      },
    },
  },
});

describe('reused-writer serializer', () => {
  it('writes the same bytes as the generated serializer, message after message of any size', () => {
    const serialize = reusedWriterSerializer(ServerMessage);
    const messages = [chunk('ok', 0), complete('x'.repeat(5_000)), chunk('é🙂', 1), complete('short'), chunk('', 2)];
    for (const message of messages) {
      const bytes = serialize(message);
      expect(bytes.equals(NexusGatewayService.stream.responseSerialize(message))).toBe(true);
      expect(ServerMessage.decode(bytes)).toEqual(message);
    }
  });

  it('hands out bytes that later messages do not overwrite', () => {
    const serialize = reusedWriterSerializer(ServerMessage);
    const first = serialize(chunk('first', 0));
    const copy = Buffer.from(first);
    serialize(complete('y'.repeat(1_000)));
    expect(first.equals(copy)).toBe(true);
  });

  it('leaves nothing of a message that failed to encode in front of the next one', () => {
    const serialize = reusedWriterSerializer(ServerMessage);
    expect(() => serialize(chunk('half-written', 2 ** 40))).toThrow(/int32/);
    expect(ServerMessage.decode(serialize(chunk('next', 3)))).toEqual(chunk('next', 3));
  });
});
