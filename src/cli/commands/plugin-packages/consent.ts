import type { Readable, Writable } from 'node:stream';
import * as clack from '@clack/prompts';
import type { PluginManifest } from '../../../kernel/index.js';
import { CliExit, EXIT, type CliIo } from '../../cli-context.js';
import { formatDiagnostics } from '../../output/index.js';
import type { CheckedPlugin } from './staged-checks.js';

export interface ConsentOptions {
  /** `--yes`: the operator accepts the permissions without being asked. */
  readonly yes?: boolean;
  /** Whether a question can be asked: stdin and stdout are a terminal. */
  readonly interactive: boolean;
  /** The terminal to ask on; process.stdin/stdout unless a test gives its own. */
  readonly streams?: { readonly input: Readable; readonly output: Writable };
}

/**
 * Shows what the plugin is and what it may reach (its `permissions`: the sensitive services it
 * can resolve), then asks. Without a terminal to ask on, only `--yes` goes ahead: an unattended
 * install must not grant permissions nobody saw.
 */
export async function askConsent(io: CliIo, checked: CheckedPlugin, from: string, options: ConsentOptions, previous?: PluginManifest): Promise<void> {
  const m = checked.manifest;
  const before = new Set(previous?.permissions ?? []);
  const added = (m.permissions ?? []).filter((p) => previous && !before.has(p));
  const lines = [
    `${previous ? 'Update' : 'Install'} ${m.name} (${m.id}) ${previous ? `${previous.version} -> ` : ''}${m.version} from ${from}`,
    ...(m.description ? [`  ${m.description}`] : []),
    `  permissions: ${checked.permissions.join(', ') || 'none (it can resolve no sensitive service)'}`,
    ...(added.length > 0 ? [`  new in this version: ${added.join(', ')}`] : []),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  if (checked.warnings.length > 0) io.stderr(formatDiagnostics(checked.warnings));
  if (options.yes) return;
  if (!options.interactive) {
    throw new CliExit(EXIT.usage, `confirmation needed, but there is no terminal to ask on; rerun with --yes to accept ${m.id}'s permissions; nothing was changed`);
  }
  const answer = await clack.confirm({ ...options.streams, message: `${previous ? 'Update' : 'Install'} ${m.id} with these permissions?`, initialValue: false });
  if (clack.isCancel(answer) || answer !== true) throw new CliExit(EXIT.problems, `${m.id} was not ${previous ? 'updated' : 'installed'}; nothing was changed`);
}
