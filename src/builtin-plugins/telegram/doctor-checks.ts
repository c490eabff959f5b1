import { accessPolicyOfSettings, accessPolicyProblems } from '@nexus/plugin-sdk/channel';
import type { DoctorCheck, DoctorFinding } from '@nexus/plugin-sdk';
import type { TelegramChannel } from './telegram-channel.js';

/** `telegram-policy`: policies that let everyone in or lock everyone out (open DMs, no mention gate, empty allowlists). */
export function policyCheck(channel: () => Promise<TelegramChannel>): DoctorCheck {
  return {
    id: 'telegram-policy',
    description: 'Telegram accounts have access policies that neither let everyone in nor lock everyone out.',
    async run() {
      const findings: DoctorFinding[] = [];
      const accounts = [...(await channel()).accounts.values()].sort((a, b) => a.id.localeCompare(b.id));
      for (const account of accounts) {
        for (const problem of accessPolicyProblems(accessPolicyOfSettings(account.config))) {
          findings.push({ level: problem.level, message: `channels.telegram.accounts.${account.id}: ${problem.message}`, hint: problem.hint });
        }
      }
      if (findings.length === 0) findings.push({ level: 'info', message: `${accounts.length} account(s): DMs need pairing or an allowlist, groups are listed and need a mention` });
      return findings;
    },
  };
}

/** `telegram-probe`: with --probe, getMe for every account (token valid, API reachable), timed. */
export function probeCheck(channel: () => Promise<TelegramChannel>): DoctorCheck {
  return {
    id: 'telegram-probe',
    description: 'Each Telegram bot token works and the Bot API answers (getMe).',
    async run(ctx) {
      const telegram = await channel();
      if (!ctx.probe) return [{ level: 'info', message: `${telegram.accounts.size} Telegram account(s) configured; run \`nexus doctor --probe\` to call getMe for each` }];
      const results = await Promise.all([...telegram.accounts.values()].map((account) => account.probe({ signal: ctx.signal })));
      return results.map((result) => (result.healthy ? { level: 'info', message: result.message } : { level: 'error', message: result.message, hint: 'run `nexus channels login telegram --account <name>` for the details' }));
    },
  };
}
