import { CliUsageError } from '@nexus/plugin-sdk';

/** As the manifest declares them. */
export type ChatFlags = { readonly message?: string; readonly session?: string; readonly address?: string; readonly 'api-key'?: string; readonly token?: string; readonly embedded: boolean; readonly verbose: boolean };

/** The flags, checked against each other, with the credentials from the environment filled in. */
export interface ChatOptions {
  readonly message: string | undefined;
  readonly session: string | undefined;
  readonly address: string | undefined;
  readonly apiKey: string | undefined;
  readonly token: string | undefined;
  readonly embedded: boolean;
  /** Say which session the conversation is in (its id and key), on stderr. */
  readonly verbose: boolean;
}

export function chatOptions(flags: ChatFlags, env: Readonly<Record<string, string | undefined>>): ChatOptions {
  if (flags.address !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(flags.address)) {
    throw new CliUsageError(`--address must be HOST:PORT, got "${flags.address}"`);
  }
  if (flags.embedded && flags.address !== undefined) throw new CliUsageError('--embedded runs its own gateway; drop --address');
  if (flags['api-key'] !== undefined && flags.token !== undefined) throw new CliUsageError('pass --api-key or --token, not both');
  return {
    message: flags.message,
    session: flags.session,
    address: flags.address,
    apiKey: flags.token !== undefined ? undefined : (flags['api-key'] ?? env.NEXUS_API_KEY),
    token: flags['api-key'] !== undefined ? undefined : (flags.token ?? env.NEXUS_TOKEN),
    embedded: flags.embedded,
    verbose: flags.verbose,
  };
}
