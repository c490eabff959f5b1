import { Option, type Command } from 'commander';
import { LOG_LEVELS } from '../../kernel/index.js';
import type { GlobalOptions } from '../cli-context.js';

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

const VALUED = new Map([
  ['-c', 'config'],
  ['--config', 'config'],
  ['-p', 'profile'],
  ['--profile', 'profile'],
  ['--log-level', 'logLevel'],
]);

/**
 * The global options and the first command word, read ahead of the parse: which plugins'
 * commands exist depends on the config, and so does the tree that parses the rest. The parse
 * that follows is the authority; `sameGlobals` tells whether this reading agreed with it.
 */
export function scanGlobals(argv: readonly string[]): { readonly globals: GlobalOptions; readonly firstWord: string | undefined } {
  const found: Record<string, string> = {};
  let firstWord: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : /^-[cp]./.test(arg) ? arg.slice(0, 2) : arg;
    const key = VALUED.get(flag);
    if (key !== undefined) {
      const value = flag !== arg ? arg.slice(eq > 0 ? eq + 1 : 2) : argv[++i];
      if (value !== undefined) found[key] = value;
    } else if (firstWord === undefined && !arg.startsWith('-')) {
      firstWord = arg;
    }
  }
  return { globals: { config: found.config, profile: found.profile, logLevel: found.logLevel as GlobalOptions['logLevel'], json: false }, firstWord };
}

/** Whether two readings of the global options pick the same config and log level. */
export function sameGlobals(a: GlobalOptions, b: GlobalOptions): boolean {
  return a.config === b.config && a.profile === b.profile && a.logLevel === b.logLevel;
}
