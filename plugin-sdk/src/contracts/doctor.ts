import type { DiagnosticLevel } from './diagnostics.js';
import { createToken } from './tokens.js';

export interface DoctorFinding {
  readonly level: DiagnosticLevel;
  readonly message: string;
  readonly hint?: string;
}

export interface DoctorCheckContext {
  readonly signal: AbortSignal;
  /** `doctor --probe`: network checks against live endpoints are allowed. */
  readonly probe: boolean;
}

/**
 * A check `nexus doctor` runs. Findings with level `error` make doctor exit 1. A check that talks
 * to a live endpoint (a channel, a provider, a database) does so only when `ctx.probe` is set,
 * and is named `<thing>-probe` in the manifest so doctor can list it under probes before loading it.
 */
export interface DoctorCheck {
  readonly id: string;
  readonly description: string;
  run(ctx: DoctorCheckContext): Promise<readonly DoctorFinding[]>;
}

export const DoctorChecks = createToken<DoctorCheck>('nexus.contrib.doctor-checks');
