import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigFileError } from '../config/index.js';
import type { Kernel } from '../kernel.js';
import { applyMigrations, MigrationError, planMigrations, renderDiff, type MigrationPlan, type PlannedChange } from '../migrations/index.js';
import type { DoctorCheckOutput, DoctorCheckSpec, DoctorReportFinding } from './doctor-result.js';
import { findingOf, info } from './findings.js';
import { redactConfigText } from './redact-config-text.js';

/**
 * Pending config migrations. Listed with a diff by default; applied with `repair` (before the
 * kernel loads the file, so everything after sees the migrated config).
 */
export function migrationCheck(configPath: string | undefined, repair: boolean): DoctorCheckSpec {
  return {
    group: 'config',
    id: 'migrations',
    description: 'the config file is in the current format version',
    run() {
      if (!configPath || !existsSync(configPath)) return { findings: [] };
      try {
        const text = readFileSync(configPath, 'utf8');
        const plan = planMigrations(text, configPath);
        if (!plan.pending) return { findings: [] };
        if (plan.conflicts.length > 0) return conflicted(plan);
        return repair ? repaired(configPath) : pending(plan);
      } catch (error) {
        if (error instanceof MigrationError) return { findings: error.diagnostics.map(findingOf) };
        if (error instanceof ConfigFileError) {
          return { findings: [{ level: 'warning', message: 'not checked: the file does not parse (see config/file)' }] };
        }
        throw error;
      }
    },
  };
}

function pending(plan: MigrationPlan): DoctorCheckOutput {
  const file = basename(plan.path);
  return {
    findings: [
      {
        level: 'warning',
        code: 'config.migration-pending',
        message:
          plan.fromVersion === plan.toVersion
            ? `the config keeps settings in places that moved (session.memory, session.memory_flush or tools.memory_search now belong in memory); ${plural(plan.changes.filter(changesFile).length, 'change')} would move them`
            : `the config is in the version ${plan.fromVersion} format${plan.fromVersion === 0 ? ' (Go Nexus)' : ''}; ${plural(plan.changes.filter(changesFile).length, 'change')} would bring it to version ${plan.toVersion}`,
        where: plan.path,
        hint: `run \`nexus doctor --repair\` to apply them; the current file is kept as ${file}.bak`,
      },
      ...plan.changes.map((change) => changeFinding(change, plan.path, 'pending')),
    ],
    detail: diffOf(plan),
  };
}

function repaired(path: string): DoctorCheckOutput {
  const applied = applyMigrations(path);
  return {
    findings: [
      info(
        applied.fromVersion === applied.toVersion
          ? `moved settings to their current places; the previous file is ${applied.backupPath}`
          : `migrated the config from version ${applied.fromVersion} to ${applied.toVersion}; the previous file is ${applied.backupPath}`,
      ),
      // Positions refer to the file as it was, which is now the backup.
      ...applied.changes.map((change) => changeFinding(change, applied.backupPath ?? path, 'applied')),
    ],
  };
}

function conflicted(plan: MigrationPlan): DoctorCheckOutput {
  return {
    findings: [
      ...plan.conflicts.map((change) => changeFinding(change, plan.path, 'pending')),
      {
        level: 'info',
        message: `nothing was migrated: ${plan.conflicts.length === 1 ? 'the conflict blocks' : 'the conflicts block'} the version ${plan.toVersion} format`,
      },
    ],
    detail: diffOf(plan),
  };
}

function changeFinding(change: PlannedChange, path: string, state: 'pending' | 'applied'): DoctorReportFinding {
  const level = change.kind === 'conflict' ? 'error' : change.kind === 'note' ? 'warning' : 'info';
  const where = change.line !== undefined ? `${path}:${change.line}:${change.column}` : undefined;
  return {
    level,
    code: `config.migration-${change.kind}`,
    message: state === 'pending' && changesFile(change) ? `pending: ${change.description}` : change.description,
    ...(where ? { where } : {}),
    ...(change.hint ? { hint: change.hint } : {}),
  };
}

function changesFile(change: PlannedChange): boolean {
  return change.kind !== 'note' && change.kind !== 'conflict';
}

/** The diff, with credentials in the file (in context lines too) masked. */
function diffOf(plan: MigrationPlan): string {
  const name = basename(plan.path);
  return renderDiff(redactConfigText(plan.before), redactConfigText(plan.after), { fromLabel: `${name}`, toLabel: `${name} (migrated)` });
}

/**
 * The config file loads: read, parsed, `${VAR}` references resolved. Builds the kernel every
 * later check uses; a file that does not load fails here with file:line:col for each problem.
 */
export function configFileCheck(configPath: string | undefined, loadKernel: () => Kernel, loaded: (kernel: Kernel) => void): DoctorCheckSpec {
  return {
    group: 'config',
    id: 'file',
    description: configPath ? `${configPath} loads` : 'no config file; built-in defaults apply',
    run() {
      try {
        loaded(loadKernel());
        return { findings: [] };
      } catch (error) {
        if (error instanceof ConfigFileError) return { findings: error.diagnostics.map(findingOf) };
        throw error;
      }
    },
  };
}

/** What the kernel found while planning: sections, plugin ids, slots, discovery. */
export function validationCheck(kernel: Kernel): DoctorCheckSpec {
  return {
    group: 'config',
    id: 'validation',
    description: 'sections, plugin ids and slots',
    run: () => ({ findings: kernel.diagnostics().map(findingOf) }),
  };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
