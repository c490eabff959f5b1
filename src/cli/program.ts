import { Command, CommanderError } from 'commander';
import { ConfigFileError, didYouMean, PluginUnavailableError, readHostVersion } from '../kernel/index.js';
import { CliExit, createCommandKernel, createKernel, EXIT, type CliIo, type GlobalOptions } from './cli-context.js';
import { registerDoctorCommand } from './commands/doctor/register.js';
import { formatDiagnostics } from './output/index.js';

// Each command's code loads only when that command runs: `nexus plugins list` should not pay
// for doctor, serve or config rendering.
const commands = {
  config: () => import('./commands/config.js'),
  pluginCommand: () => import('./commands/plugin-command.js'),
  pluginsDoctor: () => import('./commands/plugins-doctor.js'),
  pluginsInfo: () => import('./commands/plugins-info.js'),
  pluginsList: () => import('./commands/plugins-list.js'),
  pluginsNew: () => import('./commands/plugins-new.js'),
  pluginsToggle: () => import('./commands/plugins-toggle.js'),
  profile: () => import('./commands/profile.js'),
  serve: () => import('./commands/serve.js'),
};

const BUILTIN_COMMANDS = ['plugins', 'config', 'profile', 'doctor', 'serve', 'help'];

/** Runs the `nexus` command line and returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  let exitCode: number = EXIT.ok;
  program.hook('postAction', (_this, action) => {
    exitCode = (action as Command & { exitCode?: number }).exitCode ?? EXIT.ok;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit "successfully" through commander's error path.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
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

/** `--config` and `--profile` are accepted before the command and after it. */
function withConfigOptions(command: Command): Command {
  return command
    .option('-c, --config <file>', 'config file (default: $NEXUS_CONFIG, $NEXUS_PROFILE, the active profile, ./nexus.yaml, $NEXUS_HOME/nexus.yaml)')
    .option('-p, --profile <name>', 'use $NEXUS_HOME/profiles/<name>.yaml');
}

function buildProgram(io: CliIo): Command {
  const program = withConfigOptions(new Command('nexus'))
    .description('A plugin host for AI-agent gateways.')
    .usage('[--config <file> | --profile <name>] <command> [options]')
    .version(readHostVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .addHelpText('after', '\nPlugins can add commands of their own; `nexus plugins info <id>` lists what each contributes.');
  const globals = (command: Command): GlobalOptions => ({ ...program.opts<GlobalOptions>(), ...command.opts<GlobalOptions>() });
  const done = (command: Command, code: number) => {
    (command as Command & { exitCode?: number }).exitCode = code;
  };
  type Options = { json?: boolean; markdown?: boolean; effective?: boolean; provider?: string; use?: boolean; clear?: boolean; kind?: string; sdk?: string };
  const action =
    (run: (command: Command, options: Options, ...args: string[]) => number | Promise<number>) =>
    async function (this: Command, ...args: unknown[]) {
      const strings = args.filter((a): a is string => typeof a === 'string');
      const options = args.find((a): a is Options => typeof a === 'object' && a !== null && !(a instanceof Command)) ?? {};
      done(this, await run(this, options, ...strings));
    };

  const plugins = program.command('plugins').description('create, list, inspect, check, enable and disable plugins');
  withConfigOptions(plugins.command('list'))
    .description('every discovered plugin with its origin, state and problems (reads manifests only)')
    .option('--json', 'print JSON: [{id, version, origin, path, enabled, state, diagnostics}]')
    .action(action(async (c, o) => (await commands.pluginsList()).pluginsList(createKernel(globals(c), io), io, o)));
  withConfigOptions(plugins.command('info <id>'))
    .description('one plugin in detail: activation events, contributions, requirements, problems')
    .option('--json', 'print JSON')
    .action(action(async (c, o, id) => (await commands.pluginsInfo()).pluginsInfo(createKernel(globals(c), io), io, id!, o)));
  withConfigOptions(plugins.command('doctor'))
    .description('check every manifest and plugin config; exit 1 on errors (never runs plugin code)')
    .option('--json', 'print JSON')
    .action(action(async (c, o) => (await commands.pluginsDoctor()).pluginsDoctor(createKernel(globals(c), io, { checkAllConfig: true }), io, o)));
  withConfigOptions(plugins.command('enable <id>'))
    .description('set plugins.entries.<id>.enabled: true in the config file (comments are kept)')
    .action(action(async (c, _o, id) => (await commands.pluginsToggle()).pluginsToggle(createKernel(globals(c), io), io, id!, true)));
  withConfigOptions(plugins.command('disable <id>'))
    .description('set plugins.entries.<id>.enabled: false in the config file (comments are kept)')
    .action(action(async (c, _o, id) => (await commands.pluginsToggle()).pluginsToggle(createKernel(globals(c), io), io, id!, false)));

  plugins
    .command('new <name>')
    .description('scaffold a plugin package in ./<name>: manifest, entry, test, tsconfig, package.json, README')
    .option('--kind <kind>', 'tool, channel, provider, storage or command', 'tool')
    .option('--sdk <spec>', "where @nexus/plugin-sdk installs from: a tarball, a folder or an npm spec (default: this host's copy)")
    .action(action(async (_c, o, name) => (await commands.pluginsNew()).pluginsNew(io, name!, o)));

  const config = program.command('config').description('check, explain and reload the configuration');
  withConfigOptions(config.command('validate'))
    .description('check the config file against the composed schema without starting anything; exit 1 on any error')
    .option('--json', 'print JSON: {file, valid, errors, warnings}')
    .action(action(async (c, o) => (await commands.config()).configValidateCommand(createKernel(globals(c), io, { checkAllConfig: true }), io, o)));
  withConfigOptions(config.command('show'))
    .description('print the resolved config with where each value came from (secrets withheld)')
    .option('--effective', 'include schema defaults')
    .option('--json', 'print JSON: {file, profile, config, origins}')
    .action(action(async (c, o) => (await commands.config()).configShowCommand(createKernel(globals(c), io), io, o)));
  withConfigOptions(config.command('schema'))
    .description('print the composed JSON Schema for nexus.yaml (kernel plus installed plugins)')
    .option('--markdown', 'print it as the configuration reference page')
    .action(action(async (c, o) => (await commands.config()).configSchemaCommand(createKernel(globals(c), io), io, o)));
  config
    .command('reload')
    .description('make the running gateway re-read its config (found through $NEXUS_HOME/nexus.pid)')
    .action(action(async () => (await commands.serve()).configReloadCommand(io)));

  const profile = program.command('profile').description('named configs under $NEXUS_HOME/profiles');
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

  withConfigOptions(program.command('serve'))
    .description('start Nexus and keep it running; SIGHUP or `nexus config reload` re-reads the config')
    .action(action(async (c) => (await commands.serve()).serveCommand(globals(c), io)));

  registerDoctorCommand(program, io, globals);

  // Anything else may be a plugin's command: route it by manifest, loading only its owner.
  program
    .argument('[command]')
    .argument('[args...]')
    .allowUnknownOption(true)
    .passThroughOptions(true)
    .action(async function (this: Command, name: string | undefined, args: string[]) {
      if (name === undefined) {
        program.outputHelp();
        done(this, EXIT.usage);
        return;
      }
      const { brokenCommandOwner, pluginCommandNames, runPluginCommand } = await commands.pluginCommand();
      const kernel = createCommandKernel(globals(this), io);
      const names = pluginCommandNames(kernel);
      const broken = names.includes(name) ? undefined : brokenCommandOwner(kernel, name);
      if (broken) {
        io.stderr(`nexus: plugin ${broken.id} contributes the command "${name}" but is ${broken.state}:\n`);
        io.stderr(formatDiagnostics(broken.diagnostics.filter((d) => d.level === 'error')));
        done(this, EXIT.problems);
        return;
      }
      if (!names.includes(name)) {
        const suggestion = didYouMean(name, [...BUILTIN_COMMANDS, ...names]);
        throw new CliExit(EXIT.usage, `unknown command "${name}"${suggestion ? `; did you mean "${suggestion}"?` : ''} (see \`nexus --help\`)`);
      }
      done(this, await runPluginCommand(kernel, io, name, args));
    });
  return program;
}
