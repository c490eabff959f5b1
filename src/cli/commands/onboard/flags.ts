import { CliExit, EXIT } from '../../cli-context.js';
import type { OnboardAnswers } from './onboard-answers.js';
import { KEY_VARIABLES, parseProvider } from './provider-choice.js';

/** `nexus onboard` options, as commander hands them over. */
export interface OnboardFlags {
  readonly nonInteractive?: boolean;
  readonly provider?: string;
  readonly apiKey?: string;
  readonly model?: string;
  readonly workspace?: string;
  readonly channel?: string;
  /** Commander's `--no-gateway-key`: false skips the gateway API key. */
  readonly gatewayKey?: boolean;
  readonly gatewayKeyName?: string;
  readonly installService?: boolean;
}

/**
 * The answers `--non-interactive` takes from flags. The provider is required; its key may come
 * from ANTHROPIC_API_KEY / OPENAI_API_KEY; the model, when not given, is chosen from the list
 * the probe returns.
 */
export function answersFromFlags(flags: OnboardFlags, env: NodeJS.ProcessEnv, defaultWorkspace: string): OnboardAnswers {
  if (flags.provider === undefined) {
    throw new CliExit(EXIT.usage, 'nexus onboard --non-interactive needs --provider anthropic, --provider openai or --provider <URL of an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1>; nothing was written');
  }
  const choice = parseProvider(flags.provider);
  if (!choice) {
    throw new CliExit(EXIT.usage, `--provider "${flags.provider}" is not anthropic, openai or an http(s) URL; nothing was written`);
  }
  const apiKey = flags.apiKey ?? (choice.kind === 'compatible' ? undefined : env[KEY_VARIABLES[choice.kind]]);
  if (choice.kind !== 'compatible' && (apiKey === undefined || apiKey === '')) {
    throw new CliExit(EXIT.usage, `--provider ${choice.kind} needs a key: pass --api-key, or set ${KEY_VARIABLES[choice.kind]}; nothing was written`);
  }
  return {
    provider: choice.kind,
    ...(choice.baseUrl ? { baseUrl: choice.baseUrl } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(flags.model ? { model: flags.model } : {}),
    workspace: flags.workspace ?? defaultWorkspace,
    channel: flags.channel ?? '',
    apiKeyName: flags.gatewayKey === false ? '' : (flags.gatewayKeyName ?? 'onboard'),
    installService: flags.installService === true,
  };
}
