export const MIGRATE_USAGE = `usage: nexus migrate up [-n N] [--json]             apply pending migrations (all, or the next N)
       nexus migrate down [-n N] [--yes] [--json]   revert the last N applied migrations (default 1)
       nexus migrate status [--json]                list applied, pending and edited migrations

down drops data: it first lists the migrations it would revert and the tables they drop, then
asks on a terminal (--yes answers for scripts; without a terminal it needs --yes). It refuses
while a gateway serves from the database. A store that migrates by itself does not re-apply what
down reverted until \`nexus migrate up\` runs. status only reads: it never changes the database.
`;

export type MigrateArgs =
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string }
  | { readonly kind: 'up'; readonly count: number | undefined; readonly json: boolean }
  | { readonly kind: 'down'; readonly count: number | undefined; readonly yes: boolean; readonly json: boolean }
  | { readonly kind: 'status'; readonly json: boolean };

export function parseMigrateArgs(argv: readonly string[]): MigrateArgs {
  const [action, ...rest] = argv;
  if (action === undefined) return { kind: 'usage-error', message: 'say what to do: up, down or status' };
  if (action === '-h' || action === '--help' || action === 'help') return { kind: 'help' };
  if (action !== 'up' && action !== 'down' && action !== 'status') return { kind: 'usage-error', message: `unknown action "${action}"; use up, down or status` };

  let count: number | undefined;
  let json = false;
  let yes = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '-h' || arg === '--help') return { kind: 'help' };
    if (arg === '--json') {
      json = true;
    } else if ((arg === '--yes' || arg === '-y') && action === 'down') {
      yes = true;
    } else if ((arg === '-n' || arg === '--count' || arg.startsWith('-n=') || arg.startsWith('--count=')) && action !== 'status') {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : rest[++i];
      if (value === undefined || !/^[1-9][0-9]*$/.test(value)) return { kind: 'usage-error', message: `${arg.split('=')[0]} needs a whole number of at least 1${value === undefined ? '' : `, not "${value}"`}` };
      count = Number(value);
    } else {
      return { kind: 'usage-error', message: `unexpected argument "${arg}" for migrate ${action}` };
    }
  }
  if (action === 'status') return { kind: 'status', json };
  return action === 'up' ? { kind: 'up', count, json } : { kind: 'down', count, yes, json };
}
