import { inject, injectable } from '@nexus/plugin-sdk';
import {
  ApiKeyStoreToken,
  ServicesToken,
  TokenIssuerToken,
  type ApiKeyRecord,
  type ApiKeyStore,
  type CliCommand,
  type CliCommandContext,
  type ServiceRegistry,
  type TokenIssuer,
} from '@nexus/plugin-sdk';
import { generateApiKey } from '../auth/index.js';
import { AUTH_USAGE, parseAuthArgs } from './auth-args.js';

/** A failure with its message for the user; exit code 1. */
class CommandFailure extends Error {}

/** `nexus auth`: API keys (create, list, revoke) and local JWTs. */
@injectable()
export class AuthCommand implements CliCommand {
  readonly name = 'auth';

  constructor(
    @inject(ServicesToken) private readonly services: ServiceRegistry,
    @inject(TokenIssuerToken) private readonly tokens: TokenIssuer,
  ) {}

  async run(ctx: CliCommandContext): Promise<number> {
    const args = parseAuthArgs(ctx.argv);
    if (args.kind === 'help') {
      ctx.stdout(AUTH_USAGE);
      return 0;
    }
    if (args.kind === 'usage-error') {
      ctx.stderr(`nexus auth: ${args.message}\n${AUTH_USAGE}`);
      return 2;
    }
    try {
      switch (args.kind) {
        case 'create-key':
          return await this.createKey(ctx, args.name, args.user ?? args.name, args.json);
        case 'list-keys':
          return await this.listKeys(ctx, args.json);
        case 'revoke-key':
          return await this.revokeKey(ctx, args.id, args.json);
        case 'token':
          return await this.issueToken(ctx, args.user, args.expires, args.json);
      }
    } catch (error) {
      ctx.stderr(`nexus auth: ${(error as Error).message}\n`);
      return 1;
    }
  }

  private async createKey(ctx: CliCommandContext, name: string, userId: string, json: boolean): Promise<number> {
    const key = generateApiKey();
    const record = await (await this.keyStore()).create({ name, userId, key });
    if (json) {
      ctx.stdout(`${JSON.stringify({ id: record.id, name: record.name, key })}\n`);
    } else {
      // The key goes alone on the last line, so scripts can take it with `tail -n 1`.
      ctx.stdout(`Created API key "${record.name}" (id ${record.id}) for user ${record.userId}.\nStore it now: it is not shown again.\n${key}\n`);
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
    const rows = [['ID', 'NAME', 'USER', 'CREATED', 'STATUS'], ...keys.map((k) => [k.id, k.name, k.userId, iso(k.createdAt), k.revokedAt === undefined ? 'active' : `revoked ${iso(k.revokedAt)}`])];
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

  private async issueToken(ctx: CliCommandContext, userId: string, expires: string | undefined, json: boolean): Promise<number> {
    const { token, expiresAt } = await this.tokens.issue(userId, expires !== undefined ? { expiresIn: expires } : {});
    if (json) ctx.stdout(`${JSON.stringify({ token, userId, expiresAt: iso(expiresAt) })}\n`);
    else ctx.stdout(`Token for user ${userId}, valid until ${iso(expiresAt)}:\n${token}\n`);
    return 0;
  }

  private async keyStore(): Promise<ApiKeyStore> {
    if (!this.services.has(ApiKeyStoreToken)) {
      throw new CommandFailure('no storage plugin is enabled, so API keys cannot be stored: enable storage-sqlite (the default) or choose one with plugins.slots.storage');
    }
    return this.services.get(ApiKeyStoreToken);
  }
}

function describeKey(key: ApiKeyRecord) {
  return { id: key.id, name: key.name, userId: key.userId, createdAt: iso(key.createdAt), ...(key.revokedAt !== undefined ? { revokedAt: iso(key.revokedAt) } : {}) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
