import { DoctorChecks, type DiagnosticLevel, type DoctorFinding } from '@nexus/plugin-sdk';
import type { Kernel } from '../kernel.js';
import { isRunnable } from '../plan/index.js';
import type { DoctorCheckSpec, DoctorReportFinding } from './doctor-result.js';
import { info } from './findings.js';

/**
 * A contributed check counts as a probe (it talks to a live channel, provider or database when
 * `ctx.probe` is set) when its name says so: `telegram-probe`, `probe.postgres`. The DoctorCheck
 * contract has no flag for it.
 */
export function isProbeCheck(name: string): boolean {
  return /(^|[-.:_])probe([-.:_]|$)/.test(name);
}

/**
 * Every DoctorChecks contribution, each loading only its owning plugin when it runs, so a plugin
 * that fails to load is a failing check (with the reason) rather than one that silently vanishes.
 */
export function contributedChecks(kernel: Kernel): DoctorCheckSpec[] {
  return kernel.contributions.names(DoctorChecks).map((name) => {
    const owner = ownerOf(kernel, name);
    return {
      group: isProbeCheck(name) ? 'probes' : 'checks',
      id: name,
      ...(owner?.pluginId ? { pluginId: owner.pluginId } : {}),
      ...(owner?.description ? { description: owner.description } : {}),
      async run(ctx) {
        const check = await kernel.contributions.get(DoctorChecks, name);
        const findings: unknown = await check.run(ctx);
        if (!Array.isArray(findings)) throw new Error(`doctor check ${name} returned ${typeof findings} instead of a list of findings`);
        return {
          findings: findings.map((finding) => sanitize(finding, owner?.pluginId)),
          ...(typeof check.description === 'string' && check.description !== '' ? { description: check.description } : {}),
        };
      },
    };
  });
}

/** With --probe but no probe to run, one line saying so beats silence. */
export function probeNotice(checks: readonly DoctorCheckSpec[]): DoctorCheckSpec | undefined {
  if (checks.some((c) => isProbeCheck(c.id))) return undefined;
  return {
    group: 'probes',
    id: 'probes',
    description: 'live channel, provider and database checks',
    run: () => ({
      findings: [
        info(
          'no installed plugin contributes a probe, so nothing live was checked',
          'channel, provider and database plugins add probes as doctor checks named "<name>-probe"',
        ),
      ],
    }),
  };
}

function ownerOf(kernel: Kernel, name: string): { pluginId: string; description?: string } | undefined {
  for (const record of kernel.plan().records.values()) {
    if (!isRunnable(record)) continue;
    const declared = record.manifest?.contributes?.doctorChecks?.find((c) => c.name === name);
    if (declared) return { pluginId: record.id, ...(declared.description ? { description: declared.description } : {}) };
  }
  return undefined;
}

const LEVELS: readonly DiagnosticLevel[] = ['error', 'warning', 'info'];

/** A plugin's finding, kept to the contract's fields; an unknown level counts as an error. */
function sanitize(finding: DoctorFinding, pluginId: string | undefined): DoctorReportFinding {
  const level = LEVELS.includes(finding?.level) ? finding.level : 'error';
  const message = typeof finding?.message === 'string' ? finding.message : `malformed finding: ${JSON.stringify(finding)}`;
  return {
    level,
    message,
    ...(typeof finding?.hint === 'string' ? { hint: finding.hint } : {}),
    ...(pluginId ? { pluginId } : {}),
  };
}
