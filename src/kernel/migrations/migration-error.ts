import type { Diagnostic } from '@nexus/plugin-sdk';

/** A config that cannot be migrated: written by a newer Nexus, a bad `version`, or a conflict. */
export class MigrationError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
    this.name = 'MigrationError';
  }
}
