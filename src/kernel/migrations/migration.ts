import type { Document } from 'yaml';

/** The config format this Nexus writes and reads. Bump it together with a new migration. */
export const CURRENT_CONFIG_VERSION = 1;

/**
 * What one migration step did, or would do, to a config document. `conflict` and `note` change
 * nothing: a conflict blocks writing the migrated file, a note only tells the operator.
 */
export interface MigrationChange {
  readonly kind: 'moved' | 'dropped' | 'set' | 'conflict' | 'note';
  readonly description: string;
  /** JSON pointer of the value in the file before the migration. */
  readonly pointer: string;
  /** Where a moved (or conflicting) value goes. */
  readonly to?: string;
  readonly hint?: string;
}

/**
 * One step from config format `from` to `to`. `apply` edits the document in place through the
 * yaml Document API, so comments and key order outside what it moves survive. The planner sets
 * `version` afterwards; a migration never writes it itself.
 */
export interface Migration {
  readonly from: number;
  readonly to: number;
  readonly description: string;
  apply(doc: Document): MigrationChange[];
}
