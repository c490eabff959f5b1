import type { CompiledQuery, DatabaseConnection, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler, QueryResult, TransactionSettings } from 'kysely';
import type { DatabaseIntrospector } from 'kysely';
import { StoreUnavailableError, type Logger } from '../../contracts/index.js';
import type { SqlDialect } from './sql-backend.js';
import { classifyDriverError, driverDetail } from './unavailable-errors.js';

/** At most one "database unavailable" log line per this long; the others are counted into it. */
const LOG_EVERY_MS = 10_000;

/**
 * Wraps a kysely dialect so that every error from the driver (connecting, each query,
 * transaction control) goes through `classifyDriverError` once, in one place: a lost connection
 * or a lock held too long reaches every store as a `StoreUnavailableError` in plain words,
 * whichever store ran the query, and the driver's own text goes to the log only.
 */
export class GuardedDialect implements Dialect {
  private readonly log: UnavailableLog;

  constructor(
    private readonly inner: Dialect,
    private readonly dialect: SqlDialect,
    logger: Logger | undefined,
  ) {
    this.log = new UnavailableLog(logger);
  }

  createDriver(): Driver {
    return new GuardedDriver(this.inner.createDriver(), (error) => this.classify(error));
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kysely's own signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }

  private classify(error: unknown): unknown {
    const classified = classifyDriverError(this.dialect, error);
    if (classified instanceof StoreUnavailableError && classified !== error) this.log.note(classified);
    return classified;
  }
}

const GUARDED = Symbol('nexus.guarded-connection');

class GuardedDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly classify: (error: unknown) => unknown,
  ) {
    if (inner.savepoint) this.savepoint = (connection, name, compile) => this.guard(() => inner.savepoint!(connection, name, compile));
    if (inner.rollbackToSavepoint) this.rollbackToSavepoint = (connection, name, compile) => this.guard(() => inner.rollbackToSavepoint!(connection, name, compile));
    if (inner.releaseSavepoint) this.releaseSavepoint = (connection, name, compile) => this.guard(() => inner.releaseSavepoint!(connection, name, compile));
  }

  savepoint?: Driver['savepoint'];
  rollbackToSavepoint?: Driver['rollbackToSavepoint'];
  releaseSavepoint?: Driver['releaseSavepoint'];

  init(): Promise<void> {
    return this.guard(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.guard(() => this.inner.acquireConnection());
    // The driver keeps its connection objects (and checks them by identity when they come back),
    // so its query method is wrapped in place, once per object, rather than the object replaced.
    const marked = connection as DatabaseConnection & { [GUARDED]?: true };
    if (!marked[GUARDED]) {
      const execute = connection.executeQuery.bind(connection);
      marked.executeQuery = <R>(query: CompiledQuery): Promise<QueryResult<R>> => this.guard(() => execute<R>(query));
      marked[GUARDED] = true;
    }
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.guard(() => this.inner.beginTransaction(connection, settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.guard(() => this.inner.commitTransaction(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.guard(() => this.inner.rollbackTransaction(connection));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.classify(error);
    }
  }
}

/** Says once, then at most every 10 s, that the database is failing, with the driver's words. */
class UnavailableLog {
  private lastAt = 0;
  private suppressed = 0;

  constructor(private readonly logger: Logger | undefined) {}

  note(error: StoreUnavailableError): void {
    const now = Date.now();
    if (now - this.lastAt < LOG_EVERY_MS) {
      this.suppressed += 1;
      return;
    }
    const more = this.suppressed > 0 ? ` (${this.suppressed} more such failure(s) since the last report)` : '';
    this.logger?.warn(`the database failed a call, which was answered as unavailable: ${driverDetail(error)}${more}`);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
