import { HttpError, STORE_LIMITS, ValidationError } from '@nexus/plugin-sdk';
import { checkNewMessage, checkText } from '@nexus/plugin-sdk/storage';
import type { InboundPayload } from './inbound-payload.js';

/** Any UUID: the message is checked before its session exists. */
const SOME_SESSION_ID = '00000000-0000-7000-8000-000000000000';

export interface StorableContext {
  readonly accountId: string;
  /** `session.default_agent_id`, the first part of the session key. */
  readonly agentId: string;
  /** The message id the route answers with (`message_id`, or one of its own). */
  readonly messageId: string;
}

/**
 * Refuses, before the 202, everything the session store would refuse after it: the route answers
 * 202 and hands the message on in the background, so a store refusing it later (a NUL in the
 * content, metadata nested past 64 levels, a lone surrogate escaped in a JSON string, a
 * conversation id that makes the session key too long) would drop it silently, with nobody to
 * tell. The checks are the stores' own (`storage/shared`), run on the values the gateway will
 * store, and a failure names the payload field as a JSON pointer.
 */
export function checkStorable(payload: InboundPayload, context: StorableContext): void {
  for (const field of ['conversation_id', 'sender_id', 'message_id'] as const) {
    const value = payload[field];
    if (value !== undefined) guard(() => checkText(field, value), () => `/${field}`);
  }
  const key = `${context.agentId}:webhook:${context.accountId}:${payload.conversation_id}`;
  if (key.length > STORE_LIMITS.sessionKeyChars) {
    throw invalid(
      '/conversation_id',
      `is too long for this account: its session key ("<agent>:webhook:<account>:<conversation_id>") would be ${key.length} characters, and the limit is ${STORE_LIMITS.sessionKeyChars}`,
    );
  }
  // The inbound message exactly as the gateway appends it: the channel router and the turn runner
  // add these keys to the metadata (the turn id is a UUID; any one measures the same).
  const metadata = {
    ...payload.metadata,
    conversation_id: payload.conversation_id,
    external_id: context.messageId,
    sender_id: payload.sender_id,
    channel: 'webhook',
    account_id: context.accountId,
    turn_id: SOME_SESSION_ID,
  };
  guard(() => checkNewMessage({ sessionId: SOME_SESSION_ID, role: 'user', content: payload.content, attachments: payload.attachments, metadata }), pointerFor);
}

function guard(check: () => unknown, pointer: (field: string) => string): void {
  try {
    check();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const problem = error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
    throw invalid(pointer(error.field), problem);
  }
}

function invalid(pointer: string, problem: string): HttpError {
  return new HttpError(400, 'invalid_payload', `${pointer}: ${problem}`);
}

/** The keys the gateway adds to the metadata, and the payload fields they come from. */
const ADDED_KEYS: Readonly<Record<string, string>> = { conversation_id: '/conversation_id', external_id: '/message_id', sender_id: '/sender_id' };

/**
 * A store's field path (`message.metadata.ticket.tags[2]`, `message.attachments[0].mimeType`) as
 * a JSON pointer into the payload (`/metadata/ticket/tags/2`, `/attachments/0/mime_type`).
 */
function pointerFor(field: string): string {
  const path = field.replace(/^message\./, '').replace(/ key$/, '');
  const steps = path.split(/\.|\[(\d+)\]/).filter((step) => step !== undefined && step !== '');
  if (steps[0] === 'metadata' && steps.length >= 2 && ADDED_KEYS[steps[1]!]) return ADDED_KEYS[steps[1]!]!;
  const renamed = steps.map((step) => (step === 'mimeType' ? 'mime_type' : step));
  return `/${renamed.map((step) => step.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}
