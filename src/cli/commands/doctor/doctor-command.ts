import { realpathSync } from 'node:fs';
import { runDoctor, type CurrentInstall } from '../../../kernel/doctor/index.js';
import type { Kernel } from '../../../kernel/index.js';
import { configSource, createKernel, type CliIo, type GlobalOptions } from '../../cli-context.js';
import { ProgressLine } from './progress-line.js';
import { doctorExitCode, doctorJson, renderDoctorText } from './render-report.js';

export interface DoctorCommandOptions {
  readonly repair?: boolean;
  readonly probe?: boolean;
  readonly audit?: boolean;
  readonly json?: boolean;
}

export interface Terminal {
  /** Whether stdout is a terminal: only then is a progress line drawn. */
  readonly tty: boolean;
  readonly columns?: number;
}

/**
 * `nexus doctor`: runs every check and prints the report. Returns the exit code (1 when a check
 * fails). Usage problems (--config with --profile) throw CliExit before anything runs.
 */
export async function doctorCommand(globals: GlobalOptions, io: CliIo, options: DoctorCommandOptions, terminal: Terminal): Promise<number> {
  const source = configSource(globals, io);
  const progress = terminal.tty && !options.json ? new ProgressLine(io.stdout, terminal.columns) : undefined;
  let kernel: Kernel | undefined;
  try {
    const report = await runDoctor({
      configPath: source.path,
      loadKernel: () => (kernel = createKernel(globals, io, { checkAllConfig: true })),
      repair: options.repair === true,
      probe: options.probe === true,
      audit: options.audit === true,
      env: io.env,
      currentInstall: currentInstall(),
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
    });
    progress?.clear();
    io.stdout(options.json ? `${JSON.stringify(doctorJson(report), null, 2)}\n` : renderDoctorText(report));
    return doctorExitCode(report);
  } finally {
    progress?.clear();
    await kernel?.stop('doctor finished');
  }
}

/** What this very command runs on: a repaired service unit runs the same node and CLI. */
export function currentInstall(): CurrentInstall {
  const script = process.argv[1];
  let cliPath = script ?? '';
  try {
    if (script) cliPath = realpathSync(script);
  } catch {
    // A script that cannot be resolved is used as given.
  }
  return { nodePath: process.execPath, cliPath };
}
