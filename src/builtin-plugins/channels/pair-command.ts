import { normalizePairingCode, type ChannelPairingStore, type CliCommandContext, type PairingRequest } from '@nexus/plugin-sdk';
import type { ChannelNames } from './channel-names.js';

type PairArgs = {
  readonly channel?: string;
  readonly code?: string;
  readonly sender?: string;
};

type PairOptions = {
  readonly channel?: string;
  readonly all?: boolean;
  readonly json?: boolean;
  readonly account?: string;
};

/** `nexus channels pair list|approve|deny|revoke`: the pairing store, in the database. */
export async function pair(ctx: CliCommandContext<PairArgs, PairOptions>, store: () => Promise<ChannelPairingStore>, names: ChannelNames, now: () => number): Promise<number> {
  switch (ctx.subcommand) {
    case 'pair list': {
      const channel = ctx.options.channel === undefined ? undefined : await names.require(ctx.options.channel);
      const requests = await (await store()).list({ ...(channel ? { channel } : {}), ...(ctx.options.all === true ? {} : { status: 'pending' as const }) });
      if (ctx.options.json === true) {
        ctx.stdout(`${JSON.stringify(requests, null, 2)}\n`);
        return 0;
      }
      if (requests.length === 0) {
        ctx.stdout(ctx.options.all === true ? 'No pairing requests.\n' : 'No pending pairing codes. (A code appears when an unknown sender writes to an account with dm_policy: pairing.)\n');
        return 0;
      }
      for (const request of requests) ctx.stdout(`${describe(request, now())}\n`);
      return 0;
    }
    case 'pair approve':
    case 'pair deny': {
      const channel = await names.require(ctx.args.channel!);
      const decision = ctx.subcommand === 'pair approve' ? 'approved' : 'denied';
      const decided = await (await store()).decide(channel, ctx.args.code!, decision);
      if (!decided) {
        ctx.stderr(
          `no pending pairing code ${normalizePairingCode(ctx.args.code!)} on channel ${channel}: it is mistyped, expired (the sender gets a new one by writing again), already decided, or belongs to another channel; see \`nexus channels pair list\`\n`,
        );
        return 1;
      }
      const who = decided.senderName ? `${decided.senderName} (${decided.senderId})` : decided.senderId;
      ctx.stdout(decision === 'approved' ? `Approved ${who} on ${channel}/${decided.accountId}: their next message reaches the agent.\n` : `Denied ${who} on ${channel}/${decided.accountId}.\n`);
      return 0;
    }
    case 'pair revoke': {
      const channel = await names.require(ctx.args.channel!);
      const account = names.account(channel, ctx.options.account);
      if (await (await store()).revoke(channel, account.name, ctx.args.sender!)) {
        ctx.stdout(`Revoked the approval of ${ctx.args.sender} on ${channel}/${account.name}: they must pair again.\n`);
        return 0;
      }
      ctx.stderr(`sender ${ctx.args.sender} is not approved on ${channel}/${account.name}; see \`nexus channels pair list --all\`\n`);
      return 1;
    }
    default:
      throw new Error(`unknown sub-command pair: ${ctx.subcommand}`);
  }
}

function describe(request: PairingRequest, now: number): string {
  const who = request.senderName ? `${request.senderName} (${request.senderId})` : request.senderId;
  const state = request.status === 'pending' ? `pending, expires in ${Math.max(0, Math.ceil((request.expiresAt - now) / 60_000))} min` : `${request.status} ${new Date(request.decidedAt ?? request.requestedAt).toISOString()}`;
  return `${request.code}  ${request.channel}/${request.accountId}  ${who}  ${state}`;
}
