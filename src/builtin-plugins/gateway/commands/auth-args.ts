import { parseArgs } from 'node:util';

export const AUTH_USAGE = `usage:
  nexus auth api-key create --name NAME [--user USER] [--admin] [--json]
  nexus auth api-key list [--json]
  nexus auth api-key revoke ID
  nexus auth token --user USER [--admin] [--expires DURATION] [--json]
  nexus auth reset-open-access [--yes]

api-key create     makes an API key and prints it alone on the last line (--json: {id, name,
                   key, role}). The key is stored hashed and never shown again. Calls made with
                   it act as USER (default: the key's name), with the role user: their own
                   sessions, their own and shared agents. --admin makes an admin key, which
                   reaches everything; the first key made on a fresh install is an admin key.
api-key list       lists keys (never the keys themselves).
api-key revoke     revokes a key; calls made with it fail from then on.
token              issues a JWT for USER signed with auth.jwt_secret, valid for DURATION
                   (e.g. 30m, 24h, 7d; default auth.token_expiry); role user, or admin with --admin.
reset-open-access  once credentials were configured, losing them all (keys revoked or wiped,
                   auth.jwt_secret removed) keeps callers without credentials refused; this lets
                   them in again (from loopback only, unless auth.allow_unauthenticated). Asks
                   first on a terminal; --yes answers for scripts.
`;

export type AuthArgs =
  | { readonly kind: 'create-key'; readonly name: string; readonly user: string | undefined; readonly admin: boolean; readonly json: boolean }
  | { readonly kind: 'list-keys'; readonly json: boolean }
  | { readonly kind: 'revoke-key'; readonly id: string; readonly json: boolean }
  | { readonly kind: 'token'; readonly user: string; readonly admin: boolean; readonly expires: string | undefined; readonly json: boolean }
  | { readonly kind: 'reset-open-access'; readonly yes: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

const OPTIONS = {
  name: { type: 'string' },
  user: { type: 'string' },
  expires: { type: 'string' },
  admin: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Option = keyof typeof OPTIONS;

/** Which options each sub-command takes, and how many positionals. */
const SHAPES: Readonly<Record<string, { readonly options: readonly Option[]; readonly positionals: readonly string[] }>> = {
  'api-key create': { options: ['name', 'user', 'admin', 'json'], positionals: [] },
  'api-key list': { options: ['json'], positionals: [] },
  'api-key revoke': { options: ['json'], positionals: ['ID'] },
  token: { options: ['user', 'admin', 'expires', 'json'], positionals: [] },
  'reset-open-access': { options: ['yes'], positionals: [] },
};

export function parseAuthArgs(argv: readonly string[]): AuthArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], strict: true, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    return { kind: 'usage-error', message: message.split('. ')[0]! };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length === 0) return { kind: 'usage-error', message: 'name a sub-command: api-key create, api-key list, api-key revoke, token or reset-open-access' };

  const commandWords = positionals[0] === 'api-key' ? 2 : 1;
  const command = positionals.slice(0, commandWords).join(' ');
  const shape = SHAPES[command];
  if (!shape) return { kind: 'usage-error', message: `unknown sub-command "${command}"` };
  const rest = positionals.slice(commandWords);
  if (rest.length !== shape.positionals.length) {
    return { kind: 'usage-error', message: shape.positionals.length === 0 ? `${command} takes no arguments, got "${rest.join(' ')}"` : `${command} needs ${shape.positionals.join(' ')}` };
  }
  const stray = (Object.keys(values) as Option[]).filter((key) => key !== 'help' && key !== 'json' && values[key] !== undefined && !shape.options.includes(key));
  if (stray.length > 0) return { kind: 'usage-error', message: `${command} does not take --${stray[0]}` };
  for (const key of ['name', 'user', 'expires'] as const) {
    if (values[key] !== undefined && values[key].trim() === '') return { kind: 'usage-error', message: `--${key} needs a value` };
  }

  switch (command) {
    case 'api-key create':
      if (values.name === undefined) return { kind: 'usage-error', message: 'api-key create needs --name NAME' };
      return { kind: 'create-key', name: values.name, user: values.user, admin: values.admin === true, json: values.json };
    case 'api-key list':
      return { kind: 'list-keys', json: values.json };
    case 'api-key revoke':
      return { kind: 'revoke-key', id: rest[0]!, json: values.json };
    case 'reset-open-access':
      return { kind: 'reset-open-access', yes: values.yes === true };
    default:
      if (values.user === undefined) return { kind: 'usage-error', message: 'token needs --user USER' };
      return { kind: 'token', user: values.user, admin: values.admin === true, expires: values.expires, json: values.json };
  }
}
