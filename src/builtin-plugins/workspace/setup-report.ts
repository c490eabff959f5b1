import type { CliIo } from '@nexus/plugin-sdk';
import type { SeedResult } from './seed-files.js';

/** Prints what setup did: one line per file, a summary, and every failure on stderr. */
export function reportSetup(result: SeedResult, json: boolean, io: CliIo): void {
  const named = (status: string) => result.outcomes.filter((o) => o.status === status).map((o) => o.file.name);
  const failures = result.outcomes.flatMap((o) => (o.status === 'failed' ? [{ file: o.file.path, reason: o.reason }] : []));

  if (result.dirFailure !== undefined) {
    io.stderr(`nexus setup: cannot create the workspace folder ${result.dir}: ${result.dirFailure}\n`);
    io.stderr('hint: fix workspace.path (or the folder\'s permissions), or seed another folder with --workspace DIR\n');
  }
  for (const failure of failures) io.stderr(`nexus setup: cannot write ${failure.file}: ${failure.reason}\n`);

  if (json) {
    const report = { workspace: result.dir, created: named('created'), skipped: named('skipped'), overwritten: named('overwritten') };
    // The success shape stays exactly the documented one; `failed` appears only when something failed.
    const failed = result.dirFailure !== undefined ? [{ file: result.dir, reason: result.dirFailure }] : failures;
    io.stdout(`${JSON.stringify(failed.length > 0 ? { ...report, failed } : report, null, 2)}\n`);
    return;
  }
  if (result.dirFailure !== undefined) return;

  const lines = [`Workspace: ${result.dir}`];
  for (const outcome of result.outcomes) {
    const detail = outcome.status === 'skipped' || outcome.status === 'failed' ? `: ${outcome.reason}` : '';
    lines.push(`  ${outcome.status.padEnd(11)} ${outcome.file.name}${detail}`);
  }
  const count = (status: string) => result.outcomes.filter((o) => o.status === status).length;
  const summary = [`${count('created')} created`, `${count('overwritten')} overwritten`, `${count('skipped')} skipped`];
  if (failures.length > 0) summary.push(`${failures.length} failed`);
  lines.push(`${summary.join(', ')}.`);
  io.stdout(`${lines.join('\n')}\n`);
}
