import { parseArgs } from 'node:util';

export const SETUP_USAGE = `usage: nexus setup [--workspace DIR] [--overwrite] [--json]

Seeds the workspace files (AGENTS.md, SOUL.md, USER.md, IDENTITY.md, TOOLS.md, HEARTBEAT.md,
MEMORY.md, or the names set in workspace.*_file) into the workspace folder.

  --workspace DIR  seed DIR instead of workspace.path
  --overwrite      replace files that already exist
  --json           print {workspace, created, skipped, overwritten} as JSON
`;

export type SetupArgs =
  | { readonly kind: 'run'; readonly workspace: string | undefined; readonly overwrite: boolean; readonly json: boolean }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export function parseSetupArgs(argv: readonly string[]): SetupArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        workspace: { type: 'string' },
        overwrite: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node appends advice about positionals after "--", which does not apply here: setup takes none.
    return { kind: 'usage-error', message: message.split('. ')[0]! };
  }
  if (values.help) return { kind: 'help' };
  if (values.workspace === '') return { kind: 'usage-error', message: "Option '--workspace' needs a folder" };
  return { kind: 'run', workspace: values.workspace, overwrite: values.overwrite, json: values.json };
}
