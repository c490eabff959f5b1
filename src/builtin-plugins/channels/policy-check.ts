import { inject, injectable, ConfigToken, type ConfigAccess, type DoctorCheck, type DoctorFinding } from '@nexus/plugin-sdk';
import { accessPolicyProblems } from '@nexus/plugin-sdk/channel';
import { configuredAccounts } from './channel-accounts.js';
import { inlineChannelSecrets } from './inline-secrets.js';

/**
 * `nexus doctor`: every channel account's access policy (the channel kit's `accessPolicyProblems`:
 * open DMs, groups without a mention gate, allowlists that are empty while the policy is
 * allowlist) and tokens written into the config file instead of `${VAR}`.
 */
@injectable()
export class ChannelPolicyCheck implements DoctorCheck {
  readonly id = 'channels-policy';
  readonly description = 'Channel access policies and inline tokens';

  constructor(@inject(ConfigToken) private readonly config: ConfigAccess) {}

  async run(): Promise<readonly DoctorFinding[]> {
    const findings: DoctorFinding[] = [];
    const accounts = configuredAccounts(this.config);
    for (const account of accounts) {
      const at = `channels.${account.channel}.accounts.${account.name}`;
      for (const problem of accessPolicyProblems(account.policy)) findings.push({ level: problem.level, message: `${at}: ${problem.message}`, hint: problem.hint });
    }
    for (const secret of inlineChannelSecrets(this.config.path)) {
      findings.push({
        level: 'warning',
        message: `${secret.pointer} is written into ${this.config.path}: anyone who can read the file (or a backup, or a paste of it) has the credential`,
        hint: `set it from the environment: ${secret.pointer.split('.').at(-1)}: \${${envName(secret.pointer)}}`,
      });
    }
    if (findings.length === 0) findings.push({ level: 'info', message: accounts.length === 0 ? 'no channel accounts are configured' : `${accounts.length} channel account(s): policies fail closed, credentials come from the environment` });
    return findings;
  }
}

/** `channels.telegram.accounts.main.bot_token` → `TELEGRAM_MAIN_BOT_TOKEN`. */
function envName(pointer: string): string {
  const [, channel, , account, key] = pointer.split('.');
  return [channel, account, key].join('_').toUpperCase().replace(/[^A-Z0-9_]/g, '_');
}
