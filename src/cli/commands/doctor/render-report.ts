import { groupResults, type DoctorCheckResult, type DoctorReport, type DoctorReportFinding, type DoctorStatus } from '../../../kernel/doctor/index.js';
import { EXIT } from '../../cli-context.js';

const MARK: Record<DoctorStatus, string> = { ok: '✓', warn: '!', fail: '✗' };

/** Grouped, one line per check (✓ ok, ! warnings, ✗ failed), findings and hints indented below. */
export function renderDoctorText(report: DoctorReport): string {
  const lines: string[] = [];
  for (const group of groupResults(report.results)) {
    if (lines.length > 0) lines.push('');
    lines.push(group.group);
    for (const check of group.checks) lines.push(...checkLines(check));
  }
  const count = (status: DoctorStatus) => report.results.filter((r) => r.status === status).length;
  const summary = [`${count('ok')} ok`, ...(count('warn') > 0 ? [`${count('warn')} with warnings`] : []), ...(count('fail') > 0 ? [`${count('fail')} failed`] : [])];
  lines.push('', `${report.results.length} check${report.results.length === 1 ? '' : 's'}: ${summary.join(', ')}.`);
  return `${lines.join('\n')}\n`;
}

function checkLines(check: DoctorCheckResult): string[] {
  const lines = [`  ${MARK[check.status]} ${check.id}${check.description ? `  ${check.description}` : ''}`];
  for (const finding of check.findings) lines.push(...findingLines(finding));
  if (check.detail) lines.push(...check.detail.trimEnd().split('\n').map((line) => `      ${line}`));
  return lines;
}

function findingLines(finding: DoctorReportFinding): string[] {
  const label = finding.level === 'info' ? '-' : `${finding.level}${finding.code ? ` [${finding.code}]` : ''}:`;
  const lines = [`      ${label} ${finding.message}`];
  if (finding.where) lines.push(`        at ${finding.where}`);
  if (finding.hint) lines.push(`        hint: ${finding.hint}`);
  return lines;
}

export interface DoctorJson {
  readonly ok: boolean;
  readonly groups: readonly {
    readonly group: string;
    readonly status: DoctorStatus;
    readonly checks: readonly (Omit<DoctorCheckResult, 'group'> & { readonly durationMs: number })[];
  }[];
}

/** `--json`: `{ ok, groups: [{ group, status, checks: [{ id, status, durationMs, findings, … }] }] }`. */
export function doctorJson(report: DoctorReport): DoctorJson {
  return {
    ok: report.ok,
    groups: groupResults(report.results).map((group) => ({
      group: group.group,
      status: group.status,
      checks: group.checks.map(({ group: _group, ...check }) => ({ ...check, durationMs: Math.round(check.durationMs * 10) / 10 })),
    })),
  };
}

/** 1 when any check failed; warnings alone keep 0. */
export function doctorExitCode(report: DoctorReport): number {
  return report.results.some((r) => r.status === 'fail') ? EXIT.problems : EXIT.ok;
}
