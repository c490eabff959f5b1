import type { DoctorCheck, DoctorFinding } from '../contracts/index.js';

/** What a credential check found for one account (`channels login`'s report). */
export interface LoginFindings {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
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
