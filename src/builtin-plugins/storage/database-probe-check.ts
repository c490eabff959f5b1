import { inject, injectable } from '@nexus/plugin-sdk';
import {
  ConfigToken,
  ServicesToken,
  StorageMigratorToken,
  type ConfigAccess,
  type DoctorCheck,
  type DoctorCheckContext,
  type DoctorFinding,
  type ServiceRegistry,
} from '@nexus/plugin-sdk';
import { describeTarget } from './migrate-report.js';
import { readDatabaseSettings, redactUrl, sqliteFile, type DatabaseSettings } from '@nexus/plugin-sdk/storage';

/**
 * `nexus doctor --probe`: opens the configured database through the storage slot's occupant, as
 * the gateway would (so SQLite migrates on open, as every command does), and checks its schema.
 */
@injectable()
export class DatabaseProbeCheck implements DoctorCheck {
  readonly id = 'database-probe';
  readonly description = 'Connects to the configured database (with --probe) and checks that no migration is pending, edited or unknown.';

  constructor(
    @inject(ConfigToken) private readonly config: ConfigAccess,
    @inject(ServicesToken) private readonly services: ServiceRegistry,
  ) {}

  async run(ctx: DoctorCheckContext): Promise<readonly DoctorFinding[]> {
    const configured = describeConfigured(readDatabaseSettings(this.config), this.config.home);
    if (!ctx.probe) return [{ level: 'info', message: `${configured}; not contacted (run doctor with --probe)` }];

    let migrator;
    try {
      migrator = await this.services.get(StorageMigratorToken);
    } catch (error) {
      return [{ level: 'error', message: `cannot open ${configured}: ${(error as Error).message}`, hint: 'check database.url (or database.path) and that the database is reachable' }];
    }
    if (migrator.dialect === 'memory') return [{ level: 'info', message: 'the in-memory store is in use: nothing is kept after the process exits' }];

    const status = await migrator.status();
    const target = describeTarget(migrator);
    const names = (list: readonly { name: string }[]) => list.map((m) => m.name).join(', ');
    const findings: DoctorFinding[] = [];
    if (status.tampered.length > 0) {
      findings.push({ level: 'error', message: `${target}: ${names(status.tampered)} changed after being applied (checksum differs)`, hint: 'restore the original migration SQL; put schema changes in a new migration' });
    }
    if (status.pending.length > 0) {
      findings.push({ level: 'error', message: `${target}: ${status.pending.length} migration(s) pending (${names(status.pending)}); the gateway will not start until they are applied`, hint: 'run `nexus migrate up`' });
    }
    if (status.unknown.length > 0) {
      findings.push({ level: 'warning', message: `${target}: applied migrations that no enabled plugin contributes: ${names(status.unknown)}`, hint: 'enable the plugin that owns them, or ignore this if you removed it on purpose' });
    }
    return findings.length > 0 ? findings : [{ level: 'info', message: `${target} answers; ${status.applied.length} migrations applied, none pending` }];
  }
}

function describeConfigured(settings: DatabaseSettings, home: string): string {
  if (settings.url === '') return `SQLite at ${sqliteFile(settings, home)}`;
  if (/^memory(:|$)/.test(settings.url)) return 'the in-memory store';
  return `the database at ${redactUrl(settings.url)}`;
}
