import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { ConfigFileError, PluginUnavailableError, readHostVersion, type Kernel } from '../kernel/index.js';
import { CliExit, createCommandKernel, createKernel, EXIT, type CliIo, type GlobalOptions } from './cli-context.js';
import {
  addGlobalOptions,
  addHelpCommand,
  addPluginCommands,
  addProgramJsonOption,
  commandPath,
  globalsOf,
  reportUsageErrors,
  requireSubcommand,
  sameGlobals,
  scanGlobals,
  takesJson,
  UsageError,
} from './command-line/index.js';
import { registerDoctorCommand } from './commands/doctor/register.js';
import { formatDiagnostics } from './output/index.js';

// Each command's code loads only when that command runs: `nexus plugins list` should not pay
// for doctor, serve or config rendering.
const commands = {
  completion: () => import('./completion/index.js'),
  config: () => import('./commands/config.js'),
  pluginCommand: () => import('./commands/plugin-command.js'),
  pluginsDoctor: () => import('./commands/plugins-doctor.js'),
  pluginsInfo: () => import('./commands/plugins-info.js'),
  pluginsList: () => import('./commands/plugins-list.js'),
  pluginsNew: () => import('./commands/plugins-new.js'),
  pluginPackages: () => import('./commands/plugin-packages/index.js'),
  pluginsToggle: () => import('./commands/plugins-toggle.js'),
  profile: () => import('./commands/profile.js'),
  operator: () => import('./commands/operator.js'),
  serve: () => import('./commands/serve.js'),
  service: () => import('./commands/service/index.js'),
  onboard: () => import('./commands/onboard/index.js'),
};

/** Host commands that never need the plugins' commands in the tree. */
const HOST_ONLY = new Set(['plugins', 'config', 'profile', 'doctor', 'serve', 'status', 'stop', 'service', 'onboard']);

/** What a caller may learn about a run: the help cache (src/cli/help-cache) records helps with it. */
export interface RunObserver {
  /** The plugins' commands were read through `kernel` (its config and its discovered manifests). */
  pluginCommandsFrom?(kernel: Kernel): void;
  /** Commander starts printing a help (to stdout, or to stderr when nothing was asked). */
  helpStarting?(): void;
  /** That help is printed in full, the text added after it included. */
  helpDone?(): void;
}

/** Runs the `nexus` command line and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo, observer: RunObserver = {}): Promise<number> {
  let exitCode: number = EXIT.ok;
  try {
    const program = buildProgram(io, argv, observer);
    program.hook('postAction', (_this, action) => {
      exitCode = (action as Command & { exitCode?: number }).exitCode ?? EXIT.ok;
    });
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit "successfully" through commander's error path; `nexus` alone
      // prints the help to stderr and ends here too.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return EXIT.usage;
    }
    if (error instanceof CliExit) {
      io.stderr(`nexus: ${error.message}\n`);
      return error.code;
    }
    if (error instanceof PluginUnavailableError) {
      io.stderr(`nexus: ${error.message}\n${formatDiagnostics(error.diagnostics.filter((d) => d.level === 'error'))}`);
      return EXIT.problems;
    }
    if (error instanceof ConfigFileError) {
      io.stderr(formatDiagnostics(error.diagnostics));
      return EXIT.problems;
    }
    io.stderr(`nexus: ${(error as Error).message}\n`);
    return EXIT.problems;
  }
}

/** `--timeout 30` in milliseconds; a usage error for anything but a positive number. */
function seconds(value: string | undefined): number {
  const parsed = Number(value ?? '30');
  if (!Number.isFinite(parsed) || parsed <= 0) throw new CliExit(EXIT.usage, `--timeout wants a positive number of seconds, not ${JSON.stringify(value)}`);
  return parsed * 1000;
}

function buildProgram(io: CliIo, argv: readonly string[], observer: RunObserver): Command {
  const program = new Command('nexus')
    .description('A plugin host for AI-agent gateways.')
    .usage('[global options] <command> [options]')
    .version(readHostVersion(), '-V, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true)
    .enablePositionalOptions();
  addProgramJsonOption(program);
  const globals = (command: Command): GlobalOptions => globalsOf(command);
  const done = (command: Command, code: number) => {
    (command as Command & { exitCode?: number }).exitCode = code;
  };
  type Options = { json?: boolean; markdown?: boolean; effective?: boolean; provider?: string; use?: boolean; clear?: boolean; kind?: string; sdk?: string; live?: boolean; token?: string; follow?: boolean; lines?: string; timeout?: string; nonInteractive?: boolean; apiKey?: string; model?: string; workspace?: string; channel?: string; gatewayKey?: boolean; gatewayKeyName?: string; installService?: boolean; yes?: boolean };
  const action =
    (run: (command: Command, options: Options, ...args: string[]) => number | Promise<number>) =>
    async function (this: Command, ...args: unknown[]) {
      const strings = args.filter((a): a is string => typeof a === 'string');
      const options = args.find((a): a is Options => typeof a === 'object' && a !== null && !(a instanceof Command)) ?? {};
      done(this, await run(this, { ...options, ...(globals(this).json ? { json: true } : {}) }, ...strings));
    };

  const plugins = requireSubcommand(program.command('plugins').description('create, install, list, inspect, check, enable and disable plugins'));
  plugins.command('list')
    .description('every discovered plugin with its origin, state and problems (reads manifests only; --live asks the running gateway)')
    .option('--json', 'print JSON: [{id, version, origin, path, enabled, state, diagnostics}]')
    .option('--live', "the running gateway's live plugin states (failed and quarantined ones with their reasons), from its admin status route")
    .option('--api-key <KEY>', 'with --live: an admin API key (default: $NEXUS_API_KEY)')
    .option('--token <JWT>', 'with --live: an admin JWT (default: $NEXUS_TOKEN)')
    .action(action(async (c, o) => (o.live ? (await commands.operator()).pluginsListLive(io, o) : (await commands.pluginsList()).pluginsList(createKernel(globals(c), io), io, o))));
  plugins.command('info <id>')
    .description('one plugin in detail: activation events, contributions, requirements, problems')
    .option('--json', 'print JSON')
    .action(action(async (c, o, id) => (await commands.pluginsInfo()).pluginsInfo(createKernel(globals(c), io), io, id!, o)));
  plugins.command('doctor')
    .description('check every manifest and plugin config; exit 1 on errors (never runs plugin code)')
    .option('--json', 'print JSON')
    .action(action(async (c, o) => (await commands.pluginsDoctor()).pluginsDoctor(createKernel(globals(c), io, { checkAllConfig: true }), io, o)));
  plugins.command('enable <id>')
    .description('set plugins.entries.<id>.enabled: true in the config file (comments are kept)')
    .action(action(async (c, _o, id) => (await commands.pluginsToggle()).pluginsToggle(createKernel(globals(c), io), io, id!, true)));
  plugins.command('disable <id>')
    .description('set plugins.entries.<id>.enabled: false in the config file (comments are kept)')
    .action(action(async (c, _o, id) => (await commands.pluginsToggle()).pluginsToggle(createKernel(globals(c), io), io, id!, false)));
  // Whether the permissions question can be asked at all; without a terminal only --yes installs.
  const consent = (o: Options) => ({ yes: o.yes === true, interactive: process.stdin.isTTY === true && process.stdout.isTTY === true });
  plugins.command('install <source>')
    .description('install a plugin package into $NEXUS_HOME/plugins from npm (name[@version]), a tarball or a folder; checks it first, runs no npm scripts')
    .option('-y, --yes', "accept the plugin's permissions without asking (needed when stdin is not a terminal)")
    .action(action(async (c, o, source) => (await commands.pluginPackages()).pluginsInstall(globals(c), io, source!, consent(o))));
  plugins.command('update [id]')
    .description('install again from the recorded source (npm: the newest matching version), with the same checks; every installed plugin when no id is given')
    .option('-y, --yes', "accept the plugins' permissions without asking")
    .action(action(async (c, o, id) => (await commands.pluginPackages()).pluginsUpdate(globals(c), io, id, consent(o))));
  plugins.command('uninstall <id>')
    .description('remove a plugin installed with `nexus plugins install` and its record (built-ins cannot be removed: disable them)')
    .action(action(async (c, _o, id) => (await commands.pluginPackages()).pluginsUninstall(globals(c), io, id!)));
  plugins.command('verify')
    .description("check every installed plugin's files against the digest recorded at install; exit 1 on any change, missing or unrecorded package")
    .option('--json', 'print JSON: [{id, package, version, status, path}]')
    .action(action(async (_c, o) => (await commands.pluginPackages()).pluginsVerify(io, o)));

  plugins
    .command('new <name>')
    .description('scaffold a plugin package in ./<name>: manifest, entry, test, tsconfig, package.json, README')
    .option('--kind <kind>', 'tool, channel, provider, storage or command', 'tool')
    .option('--sdk <spec>', "where @nexus/plugin-sdk installs from: a tarball, a folder or an npm spec (default: this host's copy)")
    .action(action(async (_c, o, name) => (await commands.pluginsNew()).pluginsNew(io, name!, o)));

  const config = requireSubcommand(program.command('config').description('check, explain and reload the configuration'));
  config.command('validate')
    .description('check the config file against the composed schema without starting anything; exit 1 on any error')
    .option('--json', 'print JSON: {file, valid, errors, warnings}')
    .action(action(async (c, o) => (await commands.config()).configValidateCommand(createKernel(globals(c), io, { checkAllConfig: true }), io, o)));
  config.command('show')
    .description('print the resolved config with where each value came from (secrets withheld)')
    .option('--effective', 'include schema defaults')
    .option('--json', 'print JSON: {file, profile, config, origins}')
    .action(action(async (c, o) => (await commands.config()).configShowCommand(createKernel(globals(c), io), io, o)));
  config.command('schema')
    .description('print the composed JSON Schema for nexus.yaml (kernel plus installed plugins)')
    .option('--markdown', 'print it as the configuration reference page')
    .action(action(async (c, o) => (await commands.config()).configSchemaCommand(createKernel(globals(c), io), io, o)));
  config
    .command('reload')
    .description('make the running gateway re-read its config (found through $NEXUS_HOME/nexus.pid)')
    .action(action(async () => (await commands.serve()).configReloadCommand(io)));

  const profile = requireSubcommand(program.command('profile').description('named configs under $NEXUS_HOME/profiles'));
  profile
    .command('list')
    .description('the profiles, with the active one marked *')
    .option('--json', 'print JSON')
    .action(action(async (_c, o) => (await commands.profile()).profileCommands.list(io, o)));
  profile
    .command('use [name]')
    .description('make a profile the active one (used when no --config, --profile or env var says otherwise)')
    .option('--clear', 'forget the active profile')
    .action(action(async (_c, o, name) => (await commands.profile()).profileCommands.use(io, name, o)));
  profile
    .command('path [name]')
    .description('print the path of a profile (default: the active one)')
    .action(action(async (_c, _o, name) => (await commands.profile()).profileCommands.path(io, name)));
  profile
    .command('init <name>')
    .description('create a starter profile')
    .option('--provider <provider>', 'preconfigure an LLM provider: anthropic, openai or ollama')
    .option('--use', 'make it the active profile')
    .action(action(async (_c, o, name) => (await commands.profile()).profileCommands.init(io, name!, o)));

  program.command('serve')
    .description('start Nexus and keep it running; SIGHUP or `nexus config reload` re-reads the config')
    .action(action(async (c) => (await commands.serve()).serveCommand(globals(c), io)));

  program.command('status')
    .description("ask the running gateway how it is: uptime, version, plugin states, listeners, channels, turns in flight, recent errors (exit 3 when none runs)")
    .option('--json', 'print JSON: {version, pid, startedAt, uptimeMs, serving, plugins, listeners, channels, turnsInFlight, lastErrors}')
    .option('--api-key <KEY>', 'an admin API key (default: $NEXUS_API_KEY)')
    .option('--token <JWT>', 'an admin JWT (default: $NEXUS_TOKEN)')
    .action(action(async (_c, o) => (await commands.operator()).statusCommand(io, o)));
  program.command('stop')
    .description('stop the running gateway: SIGTERM through $NEXUS_HOME/nexus.pid, then wait until it has drained and exited (exit 3 when none runs)')
    .option('--timeout <SECONDS>', 'how long to wait for it to exit', '30')
    .action(action(async (_c, o) => (await commands.operator()).stopCommand(io, { timeoutMs: seconds(o.timeout) })));

  registerDoctorCommand(program, io, globals);

  program
    .command('onboard')
    .description('first run: pick and check a model provider, a default model, the workspace, a gateway API key and the service; validates before writing')
    .option('--non-interactive', 'ask nothing: take every answer from the flags')
    .option('--provider <provider>', 'anthropic, openai, or the URL of an OpenAI-compatible API (e.g. http://127.0.0.1:11434/v1)')
    .option('--api-key <key>', "the provider's key (default: ANTHROPIC_API_KEY or OPENAI_API_KEY)")
    .option('--model <id>', "the default model (default: chosen from the provider's list)")
    .option('--workspace <dir>', 'the workspace folder to seed (default: $NEXUS_HOME/workspace)')
    .option('--channel <id>', "sign in to this channel (one whose plugin offers a login)")
    .option('--gateway-key-name <name>', 'name of the gateway API key to create', 'onboard')
    .option('--no-gateway-key', 'do not create a gateway API key')
    .option('--install-service', 'install and start the service (`nexus service install`)')
    .action(action(async (c, o) => (await commands.onboard()).onboardCommand(globals(c), io, o, { interactive: process.stdin.isTTY === true && process.stdout.isTTY === true })));

  const service = requireSubcommand(program.command('service').description('run Nexus as a systemd user service (Linux) or a LaunchAgent (macOS), one per profile'));
  const verbs = [
    ['install', 'write the unit (absolute node and CLI paths, fixed PATH), enable and restart it, and wait for /readyz'],
    ['uninstall', 'stop and disable the service and remove its unit'],
    ['start', 'start the installed service'],
    ['stop', 'stop the installed service'],
    ['restart', 'restart the installed service (re-reading its unit)'],
    ['status', "the service manager's view of the service; exit 1 when it is not running"],
    ['logs', 'the service log: journalctl --user -u <unit> on Linux, the LaunchAgent log files on macOS'],
  ] as const;
  for (const [verb, description] of verbs) {
    const sub = service.command(verb).description(description);
    if (verb === 'install') sub.option('--timeout <seconds>', 'how long to wait for /readyz', positiveNumber, '60');
    if (verb === 'logs') sub.option('-f, --follow', 'keep printing new lines').option('-n, --lines <n>', 'how many lines to show', positiveNumber, '200');
    sub.action(action(async (c, o) => (await commands.service()).serviceCommand(globals(c), io, verb, o)));
  }

  program
    .command('completion')
    .description('print a shell completion script for every command, plugins\' included (from their manifests)')
    .argument('<shell>', 'bash, zsh or fish', (shell: string) => shell)
    .action(action(async (_c, _o, shell) => {
      io.stdout((await commands.completion()).completionScript(shell as 'bash', program));
      return EXIT.ok;
    }));
  program.commands.at(-1)!.registeredArguments[0]!.choices(['bash', 'zsh', 'fish']);
  addHelpCommand(program);

  const pluginOwners = new WeakMap<Command, string>();
  const { globals: scanned, firstWord } = scanGlobals(argv);
  if (firstWord === undefined || !HOST_ONLY.has(firstWord)) addPluginCommandsTo(program, io, scanned, firstWord, pluginOwners, observer);

  addGlobalOptions(program);
  const ownerOf = (command: Command): string | undefined => {
    for (let at: Command | null = command; at; at = at.parent) if (pluginOwners.has(at)) return pluginOwners.get(at);
    return undefined;
  };
  reportUsageErrors(program, ownerOf);
  // `--json` before a command that prints no JSON is refused like any unknown option.
  program.hook('preAction', (_program, command) => {
    if (program.opts<GlobalOptions>().json && !takesJson(command)) {
      throw new UsageError(commandPath(command), 'it has no JSON output, so --json does not apply', ownerOf(command));
    }
  });
  // Every help in the tree passes through the program's "all help" events; registered last, so
  // the end is seen after any text other listeners add.
  program.on('beforeAllHelp', () => observer.helpStarting?.());
  program.on('afterAllHelp', () => observer.helpDone?.());
  return program;
}

/** A commander parser for a positive number option, kept as the text given. */
function positiveNumber(value: string): string {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0) throw new InvalidArgumentError('a positive number is needed');
  return value;
}

/**
 * The plugins' commands, from their manifests. Reading them needs the config (which plugins are
 * enabled), so the global options are read ahead; the kernel read for them runs the command too,
 * unless the parse finds other global options than the reading ahead did. For help and
 * completion a config that cannot be read only leaves the plugins' commands out, with a note.
 */
function addPluginCommandsTo(
  program: Command,
  io: CliIo,
  scanned: GlobalOptions,
  firstWord: string | undefined,
  owners: WeakMap<Command, string>,
  observer: RunObserver,
): void {
  let kernel: Kernel;
  try {
    kernel = createCommandKernel(scanned, io);
  } catch (error) {
    if (firstWord !== undefined && firstWord !== 'help' && firstWord !== 'completion') throw error;
    const why = error instanceof ConfigFileError ? `${error.diagnostics.length} problem(s) in the config file (see \`nexus config validate\`)` : (error as Error).message;
    io.stderr(`nexus: plugins' commands are not listed: ${why}\n`);
    return;
  }
  observer.pluginCommandsFrom?.(kernel);
  const warnings = addPluginCommands(program, kernel, owners, async (plugin, command, input) => {
    const globals = globalsOf(command);
    const runner = sameGlobals(globals, scanned) ? kernel : createCommandKernel(globals, io);
    const { runPluginCommand } = await commands.pluginCommand();
    const options = globals.json && takesJson(command) ? { ...input.options, json: true } : input.options;
    (command as Command & { exitCode?: number }).exitCode = await runPluginCommand(runner, io, plugin, commandPath(command), { ...input, options });
  });
  for (const warning of warnings) io.stderr(`nexus: warning: ${warning}\n`);
}
