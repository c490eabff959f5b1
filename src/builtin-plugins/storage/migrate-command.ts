import { inject, injectable } from '@nexus/plugin-sdk';
import {
  ClockToken,
  CliUsageError,
  confirmOnTerminal,
  SafeguardStoreToken,
  ServicesToken,
  StorageMigratorToken,
  type CliCommand,
  type CliCommandContext,
  type Clock,
  type ServiceRegistry,
  type StorageMigrator,
} from '@nexus/plugin-sdk';
import { classifyLeases, describeLease } from './live-gateways.js';
import { reportChange, reportRevertPlan, reportStatus, statusJson } from './migrate-report.js';

/**
 * `nexus migrate up|down|status`: works on whichever store fills the storage slot. A store that
 * migrates by itself (SQLite, unless database.auto_migrate is false) does so before its stores are
 * first used, never merely because this command opened it, so `status` only reads; on PostgreSQL
 * `up` is how the schema moves forward. `down` drops data, so it shows what it would drop, asks,
 * and refuses while a gateway serves from the database.
 */
/** `up`, `down` and `status`, as the manifest declares them: `count` is a whole number, the flags booleans. */
type MigrateContext = CliCommandContext<Record<string, never>, { readonly count?: number; readonly yes?: boolean; readonly json: boolean }>;

@injectable()
export class MigrateCommand implements CliCommand {
  readonly name = 'migrate';

  constructor(
    @inject(ServicesToken) private readonly services: ServiceRegistry,
    @inject(ClockToken) private readonly clock: Clock,
  ) {}

  async run(ctx: MigrateContext): Promise<number> {
    const action = ctx.subcommand as 'up' | 'down' | 'status';
    const { count, json } = ctx.options;
    if (count !== undefined && count < 1) throw new CliUsageError(`--count needs a whole number of at least 1, not ${count}`);

    let migrator: StorageMigrator;
    try {
      migrator = await this.services.get(StorageMigratorToken);
    } catch (error) {
      ctx.stderr(`nexus migrate: cannot open the database: ${(error as Error).message}\n`);
      return 1;
    }

    try {
      if (action === 'status') {
        const status = await migrator.status();
        if (json) ctx.stdout(statusJson(migrator, status));
        else reportStatus(migrator, status, ctx);
        return status.tampered.length > 0 ? 1 : 0;
      }
      if (action === 'down') return await this.down(migrator, count ?? 1, ctx.options.yes === true, json, ctx);
      reportChange(migrator, 'up', await migrator.up(count), json, ctx);
      return 0;
    } catch (error) {
      ctx.stderr(`nexus migrate ${action}: ${(error as Error).message}\n`);
      return 1;
    }
  }

  private async down(migrator: StorageMigrator, count: number, yes: boolean, json: boolean, ctx: CliCommandContext): Promise<number> {
    const plan = await migrator.planDown(count);
    if (plan.length === 0) {
      reportChange(migrator, 'down', [], json, ctx);
      return 0;
    }
    const safeguards = this.services.has(SafeguardStoreToken) ? await this.services.get(SafeguardStoreToken) : undefined;
    const now = this.clock.now();
    const { live, dead } = classifyLeases((await safeguards?.gatewayLeases()) ?? [], now);
    if (live.length > 0) {
      ctx.stderr(
        `nexus migrate down: refusing: ${live.length === 1 ? 'a gateway serves' : `${live.length} gateways serve`} from this database, and reverting would drop tables under ${live.length === 1 ? 'it' : 'them'}:\n` +
          `${live.map((lease) => `  ${describeLease(lease, now)}\n`).join('')}` +
          'Stop it first (Ctrl-C or SIGTERM to `nexus serve`), then run this again.\n',
      );
      return 1;
    }
    // With --json, stdout carries only the result.
    reportRevertPlan(migrator, plan, ctx, json ? 'stderr' : 'stdout');
    if (!yes) {
      const answer = await confirmOnTerminal(ctx, `Revert ${plan.length === 1 ? 'it' : `these ${plan.length}`}? [y/N] `);
      if (answer === undefined) {
        ctx.stderr('nexus migrate down: refusing to drop data without confirmation: stdin is not a terminal; read the list above, then run again with --yes\n');
        return 1;
      }
      if (!answer) {
        ctx.stdout('Nothing reverted.\n');
        return 1;
      }
    }
    const done = await migrator.down(count);
    // Gateways that died without saying so leave leases behind; they are no use to anyone now.
    for (const lease of dead) await safeguards?.releaseGatewayLease(lease.id);
    reportChange(migrator, 'down', done, json, ctx);
    if (!json && done.length > 0) ctx.stdout('The store will not re-apply them by itself: run `nexus migrate up` when you want them back.\n');
    return 0;
  }
}
