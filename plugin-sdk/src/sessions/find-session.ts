import { StoreError, type Session, type SessionStore } from '../contracts/index.js';

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `reference` has the form of a session id (a UUID, in any case) rather than of a key:
 * how `findSession`, and a client asking the gateway by id or by key, tell which was given.
 */
export function isSessionIdForm(reference: string): boolean {
  return SESSION_ID.test(reference.trim());
}

/** Where an operator finds the ids and keys of the sessions there are. */
export const FIND_SESSIONS_HINT = 'list the sessions, with their ids and keys, with `nexus sessions list`';

/** No session has the id or key an operator or caller gave (`code` is `not_found`, as a store's). */
export class SessionNotFoundError extends StoreError {
  constructor(
    /** What was given, as given. */
    readonly reference: string,
    message: string,
  ) {
    super('not_found', message);
    this.name = 'SessionNotFoundError';
  }
}

/**
 * The session `reference` names: its id (a UUID, in any case) or its key (`main:api:me`). Every
 * command or call that takes a session takes either, through this one function, so they all
 * answer alike. A reference of the form of an id that matches no id is also tried as a key
 * (keys are free text). A reference that names nothing is a `SessionNotFoundError` saying what was
 * looked for and how to find the sessions there are; a store that cannot answer throws its own error.
 */
export async function findSession(store: SessionStore, reference: string): Promise<Session> {
  const given = reference.trim();
  if (given === '') throw new SessionNotFoundError(reference, `no session given: name one by its id or its key; ${FIND_SESSIONS_HINT}`);
  const byId = isSessionIdForm(given);
  if (byId) {
    const session = await orUndefined(store.get(given));
    if (session) return session;
  }
  const session = await orUndefined(store.getByKey(given));
  if (session) return session;
  const shape = byId || given.includes(':') ? '' : ' (an id is a UUID such as 0190a4d2-…; a key is <agent>:<channel>:<conversation>, such as main:api:me)';
  throw new SessionNotFoundError(reference, `no session has the ${byId ? 'id' : 'key'} "${given}"${shape}; ${FIND_SESSIONS_HINT}`);
}

/** The value, or undefined when the store says not found; every other error stands. */
async function orUndefined(read: Promise<Session>): Promise<Session | undefined> {
  try {
    return await read;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'not_found') return undefined;
    throw error;
  }
}
