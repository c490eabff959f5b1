import { inject, injectable } from '@nexus/plugin-sdk';
import { ServicesToken, StorageMigratorToken, type CliCommand, type CliCommandContext, type ServiceRegistry, type StorageMigrator } from '@nexus/plugin-sdk';
import { MIGRATE_USAGE, parseMigrateArgs } from './migrate-args.js';
import { reportChange, reportStatus, statusJson } from './migrate-report.js';

/**
 * `nexus migrate up|down|status`: works on whichever store fills the storage slot. On SQLite the
 * store migrates when it opens (unless database.auto_migrate is false), so `up` usually finds
 * nothing left to do there; on PostgreSQL it is how the schema moves forward.
 */
@injectable()
export class MigrateCommand implements CliCommand {
  readonly name = 'migrate';

  constructor(@inject(ServicesToken) private readonly services: ServiceRegistry) {}

  async run(ctx: CliCommandContext): Promise<number> {
    const args = parseMigrateArgs(ctx.argv);
    if (args.kind === 'help') {
      ctx.stdout(MIGRATE_USAGE);
      return 0;
    }
    if (args.kind === 'usage-error') {
      ctx.stderr(`nexus migrate: ${args.message}\n${MIGRATE_USAGE}`);
      return 2;
    }

    let migrator: StorageMigrator;
    try {
      migrator = await this.services.get(StorageMigratorToken);
    } catch (error) {
      ctx.stderr(`nexus migrate: cannot open the database: ${(error as Error).message}\n`);
      return 1;
    }

    try {
      if (args.kind === 'status') {
        const status = await migrator.status();
        if (args.json) ctx.stdout(statusJson(migrator, status));
        else reportStatus(migrator, status, ctx);
        return status.tampered.length > 0 ? 1 : 0;
      }
      const done = args.kind === 'up' ? await migrator.up(args.count) : await migrator.down(args.count ?? 1);
      reportChange(migrator, args.kind, done, args.json, ctx);
      return 0;
    } catch (error) {
      ctx.stderr(`nexus migrate ${args.kind}: ${(error as Error).message}\n`);
      return 1;
    }
  }
}
