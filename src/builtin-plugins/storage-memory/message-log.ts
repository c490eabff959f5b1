import type { Message } from '@nexus/plugin-sdk';
import { forReader, holdsBytes } from './kept-message.js';

/** One session's messages, oldest first, as `keepMessage` made them. */
export class MessageLog {
  private readonly messages: Message[] = [];
  /** How many messages hold bytes; while none do, a read hands out the kept messages as they are. */
  private holdingBytes = 0;

  /** Keeps `message` and returns it as a reader gets it. */
  append(message: Message): Message {
    this.messages.push(message);
    if (holdsBytes(message)) this.holdingBytes += 1;
    return forReader(message);
  }

  get size(): number {
    return this.messages.length;
  }

  /** The last `limit` messages, oldest first, in a fresh array the caller may change. */
  last(limit: number): Message[] {
    const last = this.messages.slice(-limit);
    if (this.holdingBytes > 0) for (let i = 0; i < last.length; i++) last[i] = forReader(last[i]!);
    return last;
  }
}
