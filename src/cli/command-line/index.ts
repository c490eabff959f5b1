export { addDeclaredCommand, type DeclaredInput } from './declared-command.js';
export { addGlobalOptions, addProgramJsonOption, globalsOf, sameGlobals, scanGlobals, takesJson } from './global-options.js';
export { addHelpCommand } from './help-command.js';
export { parseDeclaredCommand } from './parse-declared.js';
export { addPluginCommands, PLUGIN_COMMANDS_GROUP } from './plugin-commands.js';
export { requireSubcommand } from './subcommand-required.js';
export { commandPath, describeCommanderError, reportUsageErrors, UsageError } from './usage-error.js';
