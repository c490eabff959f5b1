import { parseArgs } from 'node:util';

export const CHAT_USAGE = `usage: nexus chat [-m TEXT] [--session ID] [--address HOST:PORT] [--api-key KEY | --token JWT] [--embedded]

Talks to the agent over the gateway's gRPC Stream, printing the reply as it streams.
  -m, --message TEXT   send one message, print the reply and exit (for scripts)
  --session ID         continue this session (default: your own API session)
  --address HOST:PORT  the gateway (default: server.host and server.grpc_port from the config)
  --api-key KEY        an API key (default: $NEXUS_API_KEY)
  --token JWT          a JWT (default: $NEXUS_TOKEN)
  --embedded           run the gateway in this process on a free loopback port, no \`nexus serve\` needed
Without -m, each line you type is a message; Ctrl-C cancels a reply in progress, and Ctrl-D or
Ctrl-C at the prompt quits.
`;

export type ChatArgs =
  | {
      readonly kind: 'chat';
      readonly message: string | undefined;
      readonly session: string | undefined;
      readonly address: string | undefined;
      readonly apiKey: string | undefined;
      readonly token: string | undefined;
      readonly embedded: boolean;
    }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export function parseChatArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ChatArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        message: { type: 'string', short: 'm' },
        session: { type: 'string' },
        address: { type: 'string' },
        'api-key': { type: 'string' },
        token: { type: 'string' },
        embedded: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    return { kind: 'usage-error', message: message.split('. ')[0]! };
  }
  if (values.help) return { kind: 'help' };
  if (values.message !== undefined && values.message.trim() === '') return { kind: 'usage-error', message: '-m needs some text' };
  if (values.address !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(values.address)) {
    return { kind: 'usage-error', message: `--address must be HOST:PORT, got "${values.address}"` };
  }
  if (values.embedded && values.address !== undefined) return { kind: 'usage-error', message: '--embedded runs its own gateway; drop --address' };
  const apiKey = values['api-key'] ?? env.NEXUS_API_KEY;
  const token = values.token ?? env.NEXUS_TOKEN;
  if (values['api-key'] !== undefined && values.token !== undefined) return { kind: 'usage-error', message: 'pass --api-key or --token, not both' };
  return {
    kind: 'chat',
    message: values.message,
    session: values.session,
    address: values.address,
    apiKey: values.token !== undefined ? undefined : apiKey,
    token: values['api-key'] !== undefined ? undefined : token,
    embedded: values.embedded,
  };
}
