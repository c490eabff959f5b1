import type { Command } from 'commander';
import type { CliIo, GlobalOptions } from '../../cli-context.js';
import type { DoctorCommandOptions } from './doctor-command.js';

/** Adds `nexus doctor [--repair] [--probe] [--audit] [--json]` (the global options come with every command); its code loads only when it runs. */
export function registerDoctorCommand(program: Command, io: CliIo, globals: (cmd: Command) => GlobalOptions): Command {
  return program
    .command('doctor')
    .description('check the config, every plugin and what plugins contribute; exit 1 when a check fails')
    .option('--repair', 'apply pending config migrations (the previous file is kept as <file>.bak); with --audit, rewrite a stale service unit to run this node and CLI')
    .option('--probe', 'let checks contact live channels, providers and databases')
    .option('--audit', 'also check that the server ports are free and installed service units still work')
    .option('--json', 'print JSON: {ok, groups: [{group, status, checks}]}')
    .action(async function (this: Command, options: DoctorCommandOptions) {
      const { doctorCommand } = await import('./doctor-command.js');
      const code = await doctorCommand(globals(this), io, { ...options, json: options.json === true || globals(this).json === true }, { tty: process.stdout.isTTY === true, columns: process.stdout.columns });
      (this as Command & { exitCode?: number }).exitCode = code;
    });
}
