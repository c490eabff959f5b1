import { Command, CommanderError } from 'commander';
import { ConfigFileError, didYouMean, PluginUnavailableError, readHostVersion } from '../kernel/index.js';
import { CliExit, createKernel, EXIT, type CliIo, type GlobalOptions } from './cli-context.js';
import { brokenCommandOwner, pluginCommandNames, runPluginCommand } from './commands/plugin-command.js';
import { pluginsDoctor } from './commands/plugins-doctor.js';
import { pluginsInfo } from './commands/plugins-info.js';
import { pluginsList } from './commands/plugins-list.js';
import { pluginsToggle } from './commands/plugins-toggle.js';
import { formatDiagnostics } from './output/index.js';

const BUILTIN_COMMANDS = ['plugins', 'help'];
const CONFIG_FLAGS = '-c, --config <file>';
const CONFIG_HELP = 'config file (default: $NEXUS_CONFIG, ./nexus.yaml, then $NEXUS_HOME/nexus.yaml)';

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

function buildProgram(io: CliIo): Command {
  const program = new Command('nexus')
    .description('A plugin host for AI-agent gateways.')
    .usage('[--config <file>] <command> [options]')
    .option(CONFIG_FLAGS, CONFIG_HELP)
    .version(readHostVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showSuggestionAfterError(true)
    .enablePositionalOptions()
    .addHelpText('after', '\nPlugins can add commands of their own; `nexus plugins info <id>` lists what each contributes.');
  // --config is accepted before the command and after it.
  const globals = (command: Command): GlobalOptions => ({ ...program.opts<GlobalOptions>(), ...command.opts<GlobalOptions>() });
  const done = (command: Command, code: number) => {
    (command as Command & { exitCode?: number }).exitCode = code;
  };

  const plugins = program.command('plugins').description('list, inspect, check, enable and disable plugins');
  plugins
    .command('list')
    .option(CONFIG_FLAGS, CONFIG_HELP)
    .description('every discovered plugin with its origin, state and problems (reads manifests only)')
    .option('--json', 'print JSON: [{id, version, origin, path, enabled, state, diagnostics}]')
    .action(function (this: Command, options: { json?: boolean }) {
      done(this, pluginsList(createKernel(globals(this), io), io, options));
    });
  plugins
    .command('info <id>')
    .option(CONFIG_FLAGS, CONFIG_HELP)
    .description('one plugin in detail: activation events, contributions, requirements, problems')
    .option('--json', 'print JSON')
    .action(function (this: Command, id: string, options: { json?: boolean }) {
      done(this, pluginsInfo(createKernel(globals(this), io), io, id, options));
    });
  plugins
    .command('doctor')
    .option(CONFIG_FLAGS, CONFIG_HELP)
    .description('check every manifest and plugin config; exit 1 on errors (never runs plugin code)')
    .option('--json', 'print JSON')
    .action(function (this: Command, options: { json?: boolean }) {
      done(this, pluginsDoctor(createKernel(globals(this), io, { checkAllConfig: true }), io, options));
    });
  plugins
    .command('enable <id>')
    .option(CONFIG_FLAGS, CONFIG_HELP)
    .description('set plugins.entries.<id>.enabled: true in the config file (comments are kept)')
    .action(function (this: Command, id: string) {
      done(this, pluginsToggle(createKernel(globals(this), io), io, id, true));
    });
  plugins
    .command('disable <id>')
    .option(CONFIG_FLAGS, CONFIG_HELP)
    .description('set plugins.entries.<id>.enabled: false in the config file (comments are kept)')
    .action(function (this: Command, id: string) {
      done(this, pluginsToggle(createKernel(globals(this), io), io, id, false));
    });

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
      const kernel = createKernel(globals(this), io);
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
