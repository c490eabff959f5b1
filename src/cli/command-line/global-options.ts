import { Option, type Command } from 'commander';
import { LOG_LEVELS } from '../../kernel/index.js';
import type { GlobalOptions } from '../cli-context.js';

export { sameGlobals, scanGlobals } from './scan-globals.js';

const GROUP = 'Global options:';

/**
 * `--config`, `--profile` and `--log-level` on every command, so they work before the command
 * and after it alike; `--json` is global only before the command (after it, a command that prints
 * JSON declares it, and one that does not refuses it: see `refuseUnsupportedJson`).
 */
function globalOptions(): Option[] {
  return [
    new Option('-c, --config <file>', 'config file (default: $NEXUS_CONFIG, $NEXUS_PROFILE, the active profile, ./nexus.yaml, $NEXUS_HOME/nexus.yaml)'),
    new Option('-p, --profile <name>', 'use $NEXUS_HOME/profiles/<name>.yaml'),
    new Option('--log-level <level>', 'log level for this run (overrides logging.level and $NEXUS_LOG_LEVEL)').choices(LOG_LEVELS),
  ].map((option) => option.helpGroup(GROUP));
}

/** Adds the global options to `command` and to every command below it. */
export function addGlobalOptions(command: Command): void {
  for (const option of globalOptions()) command.addOption(option);
  for (const sub of command.commands) addGlobalOptions(sub);
}

/** The program itself also takes `--json`, for whichever command follows. */
export function addProgramJsonOption(program: Command): void {
  program.addOption(new Option('--json', 'print JSON, for a command that can (before the command; after it, as the command documents)').helpGroup(GROUP));
}

/** The global options in effect for `command`: its own win over the ones given before it. */
export function globalsOf(command: Command): GlobalOptions {
  const merged: Record<string, unknown> = {};
  for (let at: Command | null = command; at; at = at.parent) {
    for (const [key, value] of Object.entries(at.opts())) if (merged[key] === undefined && value !== undefined) merged[key] = value;
  }
  return { config: merged.config as string | undefined, profile: merged.profile as string | undefined, logLevel: merged.logLevel as GlobalOptions['logLevel'], json: merged.json === true };
}

/** Whether `command` declares `--json` itself. */
export function takesJson(command: Command): boolean {
  return command.options.some((option) => option.long === '--json');
}
