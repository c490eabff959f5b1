import type { DiagnosticLevel, DoctorCheckContext, DoctorFinding } from '@nexus/plugin-sdk';

export type DoctorStatus = 'ok' | 'warn' | 'fail';

/** A finding as doctor reports it: a plugin's DoctorFinding, plus where and what, when known. */
export interface DoctorReportFinding extends DoctorFinding {
  readonly code?: string;
  /** `file:line:col (pointer)`, already formatted. */
  readonly where?: string;
  readonly pluginId?: string;
}

/** What one check produced. `detail` is pre-formatted text shown under the findings (a diff). */
export interface DoctorCheckOutput {
  readonly findings: readonly DoctorReportFinding[];
  readonly detail?: string;
  /** Replaces the spec's description once the check knows better (a loaded plugin's own text). */
  readonly description?: string;
}

/** One check `runChecks` runs. A check that throws or outlives its timeout fails. */
export interface DoctorCheckSpec {
  readonly group: string;
  readonly id: string;
  readonly description?: string;
  readonly pluginId?: string;
  /** Overrides the runner's per-check timeout. */
  readonly timeoutMs?: number;
  run(ctx: DoctorCheckContext): Promise<DoctorCheckOutput> | DoctorCheckOutput;
}

export interface DoctorCheckResult {
  readonly group: string;
  readonly id: string;
  readonly status: DoctorStatus;
  readonly findings: readonly DoctorReportFinding[];
  readonly durationMs: number;
  readonly description?: string;
  readonly pluginId?: string;
  readonly detail?: string;
}

export interface DoctorReport {
  /** No check failed. */
  readonly ok: boolean;
  readonly results: readonly DoctorCheckResult[];
}

export interface DoctorGroup {
  readonly group: string;
  readonly status: DoctorStatus;
  readonly checks: readonly DoctorCheckResult[];
}

/** Errors fail a check, warnings make it warn, info alone is ok. */
export function statusOf(findings: readonly { readonly level: DiagnosticLevel }[]): DoctorStatus {
  if (findings.some((f) => f.level === 'error')) return 'fail';
  if (findings.some((f) => f.level === 'warning')) return 'warn';
  return 'ok';
}

export function worstStatus(statuses: readonly DoctorStatus[]): DoctorStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  return 'ok';
}

/** Results by group, groups in the order they first ran. */
export function groupResults(results: readonly DoctorCheckResult[]): DoctorGroup[] {
  const groups = new Map<string, DoctorCheckResult[]>();
  for (const result of results) {
    const list = groups.get(result.group) ?? [];
    list.push(result);
    groups.set(result.group, list);
  }
  return [...groups].map(([group, checks]) => ({ group, status: worstStatus(checks.map((c) => c.status)), checks }));
}
