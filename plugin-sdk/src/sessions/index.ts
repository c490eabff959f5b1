/** Naming a session the way an operator does: by its id or its key. */
export { FIND_SESSIONS_HINT, findSession, isSessionIdForm, SessionNotFoundError } from './find-session.js';
