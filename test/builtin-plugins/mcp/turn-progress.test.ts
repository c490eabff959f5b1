import type { ServerNotification } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { turnProgress } from '../../../src/builtin-plugins/mcp/server/turn-progress.js';

/** A client that takes each notification only when the test lets it. */
function slowClient() {
  const sent: ServerNotification[] = [];
  const waiting: (() => void)[] = [];
  return {
    sent,
    send: (notification: ServerNotification) => {
      sent.push(notification);
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    async deliver() {
      waiting.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

describe('send_message progress', () => {
  it('reports nothing when the client asked for no progress', () => {
    expect(turnProgress(undefined, async () => undefined)).toBeUndefined();
  });

  it('sends the reply so far with a rising count, collapsing updates made while one is in flight into the latest', async () => {
    const client = slowClient();
    const progress = turnProgress('tok-1', client.send)!;
    progress.onText('Hel');
    progress.onText('Hello');
    progress.onText('Hello, wor');
    await client.deliver();
    progress.onText('Hello, world');
    await client.deliver();
    await client.deliver();
    expect(client.sent.map((n) => n.params)).toEqual([
      { progressToken: 'tok-1', progress: 1, message: 'Hel' },
      // 'Hello' came while 'Hel' was in flight, and was overtaken before it could go.
      { progressToken: 'tok-1', progress: 2, message: 'Hello, wor' },
      { progressToken: 'tok-1', progress: 3, message: 'Hello, world' },
    ]);
    expect(client.sent.every((n) => n.method === 'notifications/progress')).toBe(true);
  });

  it('sends nothing after the turn is over, and stops for good when a notification cannot be sent', async () => {
    const client = slowClient();
    const progress = turnProgress(7, client.send)!;
    progress.onText('a');
    progress.onText('ab');
    progress.stop();
    await client.deliver();
    await client.deliver();
    expect(client.sent.map((n) => (n.params as { message: string }).message)).toEqual(['a']);

    const failing: string[] = [];
    const broken = turnProgress(8, async (n) => {
      failing.push((n.params as { message: string }).message);
      throw new Error('stream closed');
    })!;
    broken.onText('x');
    await new Promise((resolve) => setImmediate(resolve));
    broken.onText('xy');
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing).toEqual(['x']);
  });
});
