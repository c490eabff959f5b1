import type { Attachment as StoredAttachment, Message as StoredMessage } from '@nexus/plugin-sdk';
import { Direction, Role, type Attachment, type Message } from '../generated/nexus/v1/common.js';
import { toDate, toProtoMetadata } from './proto-values.js';

const ROLES: Readonly<Record<StoredMessage['role'], Role>> = {
  user: Role.ROLE_USER,
  assistant: Role.ROLE_ASSISTANT,
  system: Role.ROLE_SYSTEM,
  tool: Role.ROLE_TOOL,
  event: Role.ROLE_EVENT,
};

/** A stored message as the API shows it. */
export function toProtoMessage(message: StoredMessage, channel: string, channelId: string): Message {
  return {
    id: message.id,
    sessionId: message.sessionId,
    channel,
    channelId,
    direction: message.role === 'user' ? Direction.DIRECTION_INBOUND : Direction.DIRECTION_OUTBOUND,
    role: ROLES[message.role],
    content: message.content,
    attachments: message.attachments.map((a) => ({ name: a.name ?? '', mimeType: a.mimeType, url: a.url ?? '', data: Buffer.from(a.data ?? []) })),
    toolCalls: message.toolCalls.map((c) => ({ id: c.id, name: c.name, input: JSON.stringify(c.input ?? null) })),
    toolResults: message.toolResults.map((r) => ({ toolCallId: r.callId, content: r.content, isError: r.isError === true })),
    metadata: toProtoMetadata(message.metadata),
    createdAt: toDate(message.createdAt),
  };
}

/** Attachments from a request, as the store keeps them (empty proto fields are "not set"). */
export function fromProtoAttachments(attachments: readonly Attachment[]): StoredAttachment[] {
  return attachments.map((a) => ({
    mimeType: a.mimeType,
    ...(a.name !== '' && { name: a.name }),
    ...(a.url !== '' && { url: a.url }),
    ...(a.data.length > 0 && { data: new Uint8Array(a.data) }),
  }));
}
