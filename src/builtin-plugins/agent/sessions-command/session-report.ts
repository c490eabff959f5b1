import { formatTable, type Attachment, type Message, type Session } from '@nexus/plugin-sdk';

/** A session with how many messages it holds, as `nexus sessions` reports it. */
export interface CountedSession {
  readonly session: Session;
  /** Unknown when the storage plugin has no `countMessages` (it came after SDK 1.0). */
  readonly messages: number | undefined;
}

/** `12`, or `?` when the store cannot count. */
export const countText = (messages: number | undefined): string => (messages === undefined ? '?' : String(messages));

const iso = (ms: number) => new Date(ms).toISOString();

/** The JSON of one session: its record, its message count, and its last activity (`updatedAt`). */
export function sessionJson({ session, messages }: CountedSession): Record<string, unknown> {
  return {
    id: session.id,
    key: session.key,
    agentId: session.agentId,
    channel: session.channel,
    ...(session.title !== undefined ? { title: session.title } : {}),
    ownerId: session.ownerId ?? null,
    messages: messages ?? null,
    createdAt: iso(session.createdAt),
    lastActivityAt: iso(session.updatedAt),
    metadata: session.metadata,
  };
}

export function sessionTable(rows: readonly CountedSession[]): string {
  return formatTable(
    ['ID', 'KEY', 'AGENT', 'CHANNEL', 'MESSAGES', 'LAST ACTIVITY (UTC)'],
    rows.map(({ session, messages }) => [session.id, session.key, session.agentId, session.channel, countText(messages), iso(session.updatedAt)]),
  );
}

/** The session's record, one field a line. */
export function sessionDetails({ session, messages }: CountedSession): string {
  const fields: [string, string][] = [
    ['key', session.key],
    ['agent', session.agentId],
    ['channel', session.channel],
    ...(session.title !== undefined ? [['title', session.title] as [string, string]] : []),
    ['owner', session.ownerId ?? '(the system: a channel session, reached by admins)'],
    ['messages', messages === undefined ? '? (the storage plugin does not count messages)' : String(messages)],
    ['created', iso(session.createdAt)],
    ['last activity', iso(session.updatedAt)],
  ];
  const keys = Object.keys(session.metadata);
  if (keys.length > 0) fields.push(['metadata', keys.join(', ')]);
  const width = Math.max(...fields.map(([name]) => name.length));
  return `session ${session.id}\n${fields.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`).join('\n')}\n`;
}

/** A message as JSON: binary attachment data is given by its size, not its bytes. */
export function messageJson(message: Message): Record<string, unknown> {
  return {
    id: message.id,
    role: message.role,
    content: message.content,
    createdAt: iso(message.createdAt),
    ...(message.attachments.length > 0 ? { attachments: message.attachments.map(attachmentJson) } : {}),
    ...(message.toolCalls.length > 0 ? { toolCalls: message.toolCalls } : {}),
    ...(message.toolResults.length > 0 ? { toolResults: message.toolResults } : {}),
    ...(Object.keys(message.metadata).length > 0 ? { metadata: message.metadata } : {}),
  };
}

/** `[time] role: text`, later lines of the text indented; tool calls, results and attachments named after it. */
export function messageText(message: Message): string {
  const notes = [
    ...message.toolCalls.map((call) => `tool call ${call.name}`),
    ...message.toolResults.map((result) => `tool result for ${result.callId}${result.isError ? ', an error' : ''}`),
    ...message.attachments.map((a) => `attachment ${a.name ?? a.url ?? a.mimeType}`),
  ];
  const body = message.content.replace(/\n/g, '\n    ');
  return `[${iso(message.createdAt)}] ${message.role}: ${body}${notes.map((note) => `\n    (${note})`).join('')}\n`;
}

function attachmentJson(attachment: Attachment): Record<string, unknown> {
  const { data, ...rest } = attachment;
  return data === undefined ? { ...rest } : { ...rest, bytes: data.byteLength };
}
