import type { DoctorCheck, DoctorFinding } from '../contracts/index.js';
import { accessPolicyProblems, type AccessPolicy } from './access-policy.js';

/** One configured account, as the doctor checks see it. */
export interface DoctorAccount {
  readonly name: string;
  readonly policy: AccessPolicy;
  /** The account's secrets: the config key (`channels.slack.accounts.main.bot_token`) and the value in effect. */
  readonly secrets: readonly { readonly field: string; readonly value: string }[];
}

/** What a credential check found for one account (`channels login`'s report). */
export interface LoginFindings {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * `<channel>-policy`: the access-policy settings that lock everyone out or let everyone in
 * (`accessPolicyProblems`), and secrets written into the config file instead of given as
 * `${VAR}`. A secret counts as inline when its value appears in the file's raw text, which holds
 * `${VAR}` where the environment supplies it; the value itself is never shown.
 */
export function channelPolicyCheck(options: { readonly channel: string; readonly accounts: () => readonly DoctorAccount[]; readonly configText: () => string | undefined }): DoctorCheck {
  const { channel } = options;
  return {
    id: `${channel}-policy`,
    description: `${channel} accounts: open DMs, groups without a mention gate, empty allowlists, tokens given inline instead of through \${VAR}.`,
    async run() {
      const accounts = options.accounts();
      if (accounts.length === 0) return [{ level: 'info', message: `no ${channel} accounts are configured` }];
      const text = options.configText();
      const findings: DoctorFinding[] = [];
      for (const account of accounts) {
        const at = `channels.${channel}.accounts.${account.name}`;
        for (const problem of accessPolicyProblems(account.policy)) findings.push({ level: problem.level, message: `${at}: ${problem.message}`, hint: problem.hint });
        for (const secret of account.secrets) {
          if (text !== undefined && secret.value.length >= 8 && text.includes(secret.value)) {
            const variable = `${channel}_${secret.field.split('.').at(-1)}`.toUpperCase();
            findings.push({ level: 'warning', message: `${secret.field} is written into the config file`, hint: `give it through the environment: ${secret.field.split('.').at(-1)}: \${${variable}}, and keep the file out of version control` });
          }
        }
      }
      if (findings.length === 0) findings.push({ level: 'info', message: `${accounts.length} ${channel} account(s): access policy closed by default, tokens from the environment` });
      return findings;
    },
  };
}

/** `<channel>-probe`: with `doctor --probe`, each account's credential check against the platform. */
export function channelProbeCheck(options: { readonly channel: string; readonly accounts: () => readonly string[]; readonly login: (account: string) => Promise<LoginFindings> }): DoctorCheck {
  const { channel } = options;
  return {
    id: `${channel}-probe`,
    description: `${channel} accounts: the platform accepts their credentials, with the scopes or intents the channel needs.`,
    async run(ctx) {
      const accounts = options.accounts();
      if (accounts.length === 0) return [{ level: 'info', message: `no ${channel} accounts are configured` }];
      if (!ctx.probe) return [{ level: 'info', message: `${accounts.length} ${channel} account(s); run with --probe to check their credentials against the platform` }];
      const findings: DoctorFinding[] = [];
      for (const account of accounts) {
        ctx.signal.throwIfAborted();
        const report = await options.login(account);
        for (const problem of report.problems) findings.push({ level: 'error', message: `${channel}/${account}: ${problem}` });
        for (const warning of report.warnings) findings.push({ level: 'warning', message: `${channel}/${account}: ${warning}` });
        if (report.ok && report.warnings.length === 0) findings.push({ level: 'info', message: `${channel}/${account}: the credentials work` });
      }
      return findings;
    },
  };
}
