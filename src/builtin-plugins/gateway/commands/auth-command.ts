import { inject, injectable } from '@nexus/plugin-sdk';
import {
  ApiKeyStoreToken,
  ClockToken,
  ConfigToken,
  confirmOnTerminal,
  SafeguardStoreToken,
  ServicesToken,
  TokenIssuerToken,
  type ApiKeyRecord,
  type ApiKeyStore,
  type CliCommand,
  type CliCommandContext,
  type Clock,
  type ConfigAccess,
  type Role,
  type SafeguardStore,
  type ServiceRegistry,
  type TokenIssuer,
} from '@nexus/plugin-sdk';
import { generateApiKey, readAuthSettings, subjectProblem } from '../auth/index.js';

/** Every sub-command's options, as the manifest declares them (each takes its own subset). */
type AuthOptions = { readonly name?: string; readonly user?: string; readonly admin?: boolean; readonly expires?: string; readonly yes?: boolean; readonly json?: boolean };

/** A failure with its message for the user; exit code 1. */
class CommandFailure extends Error {}

const NO_STORAGE = 'no storage plugin is enabled, so API keys cannot be stored: enable storage-sqlite (the default) or choose one with plugins.slots.storage';

/** `nexus auth`: API keys (create, list, revoke), local JWTs, and reopening anonymous access. */
@injectable()
export class AuthCommand implements CliCommand {
  readonly name = 'auth';

  constructor(
    @inject(ServicesToken) private readonly services: ServiceRegistry,
    @inject(TokenIssuerToken) private readonly tokens: TokenIssuer,
    @inject(ConfigToken) private readonly config: ConfigAccess,
    @inject(ClockToken) private readonly clock: Clock,
  ) {}

  async run(ctx: CliCommandContext<{ readonly id?: string }, AuthOptions>): Promise<number> {
    const options = ctx.options;
    const json = options.json === true;
    try {
      switch (ctx.subcommand) {
        case 'api-key create':
          return await this.createKey(ctx, options.name!, options.user ?? options.name!, options.admin === true, json);
        case 'api-key list':
          return await this.listKeys(ctx, json);
        case 'api-key revoke':
          return await this.revokeKey(ctx, ctx.args.id!, json);
        case 'token':
          return await this.issueToken(ctx, options.user!, options.admin ? 'admin' : 'user', options.expires, json);
        case 'reset-open-access':
          return await this.resetOpenAccess(ctx, options.yes === true);
        default:
          throw new Error(`auth has no sub-command "${ctx.subcommand}"; the manifest and the code disagree`);
      }
    } catch (error) {
      ctx.stderr(`nexus auth: ${(error as Error).message}\n`);
      return 1;
    }
  }

  private async createKey(ctx: CliCommandContext, name: string, userId: string, admin: boolean, json: boolean): Promise<number> {
    const problem = subjectProblem(userId);
    if (problem) throw new CommandFailure(`the user a key acts as ${problem}: pick another --user (or --name)`);
    const store = await this.keyStore();
    // The first key on a fresh install is the operator's own, so it may do everything.
    const first = !admin && (await store.list()).length === 0;
    const role: Role = admin || first ? 'admin' : 'user';
    const key = generateApiKey();
    const record = await store.create({ name, userId, key, role });
    try {
      await (await this.safeguards())?.markCredentialsConfigured(this.clock.now());
    } catch (error) {
      // The key exists and must be shown; the gateway records the marker itself when it sees the key.
      ctx.stderr(`nexus auth: warning: could not record that credentials are configured: ${(error as Error).message}\n`);
    }
    if (json) {
      ctx.stdout(`${JSON.stringify({ id: record.id, name: record.name, role: record.role, key })}\n`);
    } else {
      // The key goes alone on the last line, so scripts can take it with `tail -n 1`.
      const why = first ? ' (the first key on this install is an admin key; make the next ones with --admin to get another)' : '';
      ctx.stdout(`Created API key "${record.name}" (id ${record.id}) for user ${record.userId}, role ${record.role}${why}.\nStore it now: it is not shown again.\n${key}\n`);
    }
    return 0;
  }

  private async listKeys(ctx: CliCommandContext, json: boolean): Promise<number> {
    const keys = await (await this.keyStore()).list();
    if (json) {
      ctx.stdout(`${JSON.stringify(keys.map(describeKey), null, 2)}\n`);
      return 0;
    }
    if (keys.length === 0) {
      ctx.stdout('No API keys. Create one with: nexus auth api-key create --name NAME\n');
      return 0;
    }
    const rows = [
      ['ID', 'NAME', 'USER', 'ROLE', 'CREATED', 'STATUS'],
      ...keys.map((k) => [k.id, k.name, k.userId, k.role, iso(k.createdAt), k.revokedAt === undefined ? 'active' : `revoked ${iso(k.revokedAt)}`]),
    ];
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    ctx.stdout(rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n');
    return 0;
  }

  private async revokeKey(ctx: CliCommandContext, id: string, json: boolean): Promise<number> {
    const store = await this.keyStore();
    await store.revoke(id);
    ctx.stdout(json ? `${JSON.stringify({ id, revoked: true })}\n` : `Revoked API key ${id}; calls made with it now fail.\n`);
    return 0;
  }

  private async issueToken(ctx: CliCommandContext, userId: string, role: Role, expires: string | undefined, json: boolean): Promise<number> {
    const { token, expiresAt } = await this.tokens.issue(userId, { role, ...(expires !== undefined ? { expiresIn: expires } : {}) });
    if (json) ctx.stdout(`${JSON.stringify({ token, userId, role, expiresAt: iso(expiresAt) })}\n`);
    else ctx.stdout(`Token for user ${userId} (role ${role}), valid until ${iso(expiresAt)}:\n${token}\n`);
    return 0;
  }

  /**
   * Forgets that credentials were configured, so that callers without any are let in again. Only
   * while none is configured: with a JWT secret or a live key, anonymous calls are refused anyway.
   */
  private async resetOpenAccess(ctx: CliCommandContext, yes: boolean): Promise<number> {
    const safeguards = await this.safeguards();
    if (!safeguards) throw new CommandFailure(NO_STORAGE.replace('API keys cannot be stored', 'there is nothing to reset'));
    if (readAuthSettings(this.config).jwt_secret) {
      throw new CommandFailure('auth.jwt_secret is set, so calls need credentials whatever this command does; remove it from the config first if open access is what you want');
    }
    const live = (await (await this.keyStore()).list()).filter((k) => k.revokedAt === undefined);
    if (live.length > 0) {
      throw new CommandFailure(`${live.length} API key(s) are live (${live.map((k) => k.name).join(', ')}), so calls need credentials whatever this command does; revoke them first (nexus auth api-key revoke ID) if open access is what you want`);
    }
    const since = await safeguards.credentialsConfiguredSince();
    if (since === undefined) {
      ctx.stdout('Nothing to reset: no credentials were ever recorded on this database, so callers without credentials are let in (from loopback only, unless auth.allow_unauthenticated).\n');
      return 0;
    }
    ctx.stdout(
      `Credentials were configured on this database (recorded ${iso(since)}) and none is left, so callers without credentials are refused.\n` +
        'Resetting lets anyone who reaches the gateway without credentials in, as an admin: from loopback only, or from anywhere if auth.allow_unauthenticated is set.\n',
    );
    if (!yes) {
      const answer = await confirmOnTerminal(ctx, 'Let callers without credentials in again? [y/N] ');
      if (answer === undefined) throw new CommandFailure('refusing to reopen access without confirmation: stdin is not a terminal; run again with --yes if you mean it');
      if (!answer) {
        ctx.stdout('Nothing changed.\n');
        return 1;
      }
    }
    await safeguards.clearCredentialsMarker();
    ctx.stdout('Done: callers without credentials are let in again, until a credential is configured.\n');
    return 0;
  }

  private async keyStore(): Promise<ApiKeyStore> {
    if (!this.services.has(ApiKeyStoreToken)) throw new CommandFailure(NO_STORAGE);
    return this.services.get(ApiKeyStoreToken);
  }

  private async safeguards(): Promise<SafeguardStore | undefined> {
    return this.services.has(SafeguardStoreToken) ? this.services.get(SafeguardStoreToken) : undefined;
  }
}

function describeKey(key: ApiKeyRecord) {
  return { id: key.id, name: key.name, userId: key.userId, role: key.role, createdAt: iso(key.createdAt), ...(key.revokedAt !== undefined ? { revokedAt: iso(key.revokedAt) } : {}) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
