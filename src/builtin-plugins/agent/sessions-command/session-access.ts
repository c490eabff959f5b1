import { findSession, SessionStoreToken, type ServiceRegistry, type Session, type SessionStore } from '@nexus/plugin-sdk';

/**
 * The session store the enabled storage plugin provides, opened the way `nexus prompt` and
 * `nexus migrate` open it: straight on the database, beside a running gateway (SQLite in WAL
 * mode lets both in; every call here is one short statement or transaction).
 */
export async function sessionStoreOf(services: ServiceRegistry): Promise<SessionStore> {
  if (!services.has(SessionStoreToken)) {
    throw new Error('no session store is enabled, so there are no sessions to look up; enable a storage plugin (see `nexus plugins list`)');
  }
  return services.get(SessionStoreToken);
}

/** The store, and the session an operator named by its id or key in it. */
export async function namedSession(services: ServiceRegistry, reference: string): Promise<{ readonly store: SessionStore; readonly session: Session }> {
  const store = await sessionStoreOf(services);
  return { store, session: await findSession(store, reference) };
}
