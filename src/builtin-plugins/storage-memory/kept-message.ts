import type { Message } from '../../contracts/index.js';
import { decodeAttachments, parseJsonColumn, type CheckedMessage } from '../storage/shared/index.js';

/**
 * A stored message as the memory store keeps it. Every turn reads the session's history, so
 * decoding the JSON columns on each read was most of what a read cost: the message is decoded
 * once, at append, from the same JSON text the SQL stores keep (so both hand back the same
 * values), then deep-frozen and handed to every reader. Freezing keeps one reader from changing
 * what the next one sees. Binary attachment data (a Uint8Array cannot be frozen) is the
 * exception: such a message is decoded afresh on each read, so each reader gets its own bytes.
 */
export class KeptMessage {
  private readonly shared: Message | undefined;

  constructor(
    private readonly checked: CheckedMessage,
    readonly id: string,
    private readonly createdAt: number,
  ) {
    this.shared = this.decodeShared();
  }

  /** The message for one reader. */
  read(): Message {
    return this.shared ?? this.decode();
  }

  /**
   * The message every reader shares, or undefined if it holds binary data. Most messages have no
   * attachments, tool calls or tool results: those share one frozen empty array.
   */
  private decodeShared(): Message | undefined {
    const row = this.checked;
    const attachments = row.attachments === EMPTY_COLUMN ? NONE : decodeAttachments(row.attachments);
    if (attachments.some((a) => a.data !== undefined)) return undefined;
    return deepFreeze({
      id: this.id,
      sessionId: row.sessionId,
      role: row.role,
      content: row.content,
      attachments,
      toolCalls: row.toolCalls === EMPTY_COLUMN ? NONE : parseJsonColumn(row.toolCalls),
      toolResults: row.toolResults === EMPTY_COLUMN ? NONE : parseJsonColumn(row.toolResults),
      metadata: parseJsonColumn(row.metadata),
      createdAt: this.createdAt,
    });
  }

  private decode(): Message {
    const row = this.checked;
    return {
      id: this.id,
      sessionId: row.sessionId,
      role: row.role,
      content: row.content,
      attachments: decodeAttachments(row.attachments),
      toolCalls: parseJsonColumn(row.toolCalls),
      toolResults: parseJsonColumn(row.toolResults),
      metadata: parseJsonColumn(row.metadata),
      createdAt: this.createdAt,
    };
  }
}

/** How the codec writes an empty list. */
const EMPTY_COLUMN = '[]';
const NONE: readonly never[] = Object.freeze([]);

/** Freezes decoded JSON all the way down (plain objects and arrays only: it came from JSON.parse). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
