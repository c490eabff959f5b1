import type { Attachment, Message } from '@nexus/plugin-sdk';
import type { CheckedMessageValues } from '@nexus/plugin-sdk/storage';

const NONE: readonly never[] = Object.freeze([]);

/**
 * A message as the memory store keeps it, deep-frozen and handed to every reader, so one reader
 * cannot change what the next one sees. The checks build the frozen JSON values in the same walk
 * that validates them (equal to what the SQL stores read back from their JSON text), so nothing
 * is serialized or parsed per message. Binary attachment data is the exception (a Uint8Array
 * cannot be frozen): the store keeps its own copy of the bytes and each reader gets another one.
 */
export function keepMessage(checked: CheckedMessageValues, id: string, createdAt: number): Message {
  return Object.freeze({
    id,
    sessionId: checked.sessionId,
    role: checked.role,
    content: checked.content,
    attachments: keepAttachments(checked.attachments),
    toolCalls: checked.toolCalls,
    toolResults: checked.toolResults,
    metadata: checked.metadata,
    createdAt,
  });
}

/** Whether readers need their own copy of `message`: it holds bytes, which cannot be frozen. */
export function holdsBytes(message: Message): boolean {
  return message.attachments.some((a) => a.data !== undefined);
}

/** The message for one reader: the kept one, or for one that holds bytes a copy with its own bytes. */
export function forReader(message: Message): Message {
  if (!holdsBytes(message)) return message;
  return { ...message, attachments: message.attachments.map((a) => (a.data === undefined ? a : { ...a, data: a.data.slice() })) };
}

function keepAttachments(attachments: readonly Attachment[]): readonly Attachment[] {
  if (attachments.length === 0) return NONE;
  // The caller's bytes are copied, so changing them after the append changes nothing stored.
  return Object.freeze(attachments.map((a) => Object.freeze(a.data === undefined ? a : { ...a, data: new Uint8Array(a.data) })));
}
