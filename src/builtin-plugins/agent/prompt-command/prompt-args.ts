import { parseArgs } from 'node:util';

export const PROMPT_USAGE = `usage: nexus prompt --session ID --channel CHANNEL [--message TEXT] [--heartbeat] [--json]

Prints the system prompt the agent runtime would send for a message in a session, then the
sections it is made of (which plugin rendered each, and its size).

  --session ID      the session (its agent and history context)
  --channel CHANNEL the channel the message arrives on, e.g. telegram
  --message TEXT    the inbound message (default: empty)
  --heartbeat       build it for a heartbeat message
  --json            print {prompt, sections: [{name, pluginId, chars}], failed} as JSON
`;

export type PromptArgs =
  | {
      readonly kind: 'run';
      readonly session: string;
      readonly channel: string;
      readonly message: string;
      readonly heartbeat: boolean;
      readonly json: boolean;
    }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export function parsePromptArgs(argv: readonly string[]): PromptArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        session: { type: 'string' },
        channel: { type: 'string' },
        message: { type: 'string', default: '' },
        heartbeat: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (!code?.startsWith('ERR_PARSE_ARGS_')) throw error;
    // Node appends advice about positionals after "--", which does not apply: prompt takes none.
    return { kind: 'usage-error', message: message.split('. ')[0]! };
  }
  if (values.help) return { kind: 'help' };
  for (const flag of ['session', 'channel'] as const) {
    const value = values[flag];
    if (value === undefined) return { kind: 'usage-error', message: `Option '--${flag}' is required` };
    if (value.trim() === '') return { kind: 'usage-error', message: `Option '--${flag}' needs a value` };
  }
  return { kind: 'run', session: values.session!, channel: values.channel!, message: values.message, heartbeat: values.heartbeat, json: values.json };
}
