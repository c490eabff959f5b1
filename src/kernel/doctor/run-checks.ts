import type { DoctorCheckSpec, DoctorCheckResult, DoctorReportFinding } from './doctor-result.js';
import { statusOf } from './doctor-result.js';

export const DEFAULT_CHECK_TIMEOUT_MS = 5_000;

export interface DoctorProgress {
  readonly group: string;
  readonly id: string;
  /** 1-based position of the check about to run. */
  readonly index: number;
  /** Checks known so far; grows when a phase reveals more (plugins, contributed checks). */
  readonly total: number;
}

export interface RunChecksOptions {
  readonly timeoutMs?: number;
  readonly probe?: boolean;
  readonly onProgress?: (progress: DoctorProgress) => void;
  /** Checks already run and still to come outside this batch, for the progress count. */
  readonly done?: number;
  readonly later?: number;
}

/** Runs checks one after another, each under its own timeout and AbortSignal. Never throws. */
export async function runChecks(specs: readonly DoctorCheckSpec[], options: RunChecksOptions = {}): Promise<DoctorCheckResult[]> {
  const results: DoctorCheckResult[] = [];
  const done = options.done ?? 0;
  const total = done + specs.length + (options.later ?? 0);
  for (const [index, spec] of specs.entries()) {
    options.onProgress?.({ group: spec.group, id: spec.id, index: done + index + 1, total });
    results.push(await runCheck(spec, options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS, options.probe === true));
  }
  return results;
}

async function runCheck(spec: DoctorCheckSpec, defaultTimeoutMs: number, probe: boolean): Promise<DoctorCheckResult> {
  const timeoutMs = spec.timeoutMs ?? defaultTimeoutMs;
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const base = { group: spec.group, id: spec.id, ...(spec.description ? { description: spec.description } : {}), ...(spec.pluginId ? { pluginId: spec.pluginId } : {}) };
  try {
    const outcome = await Promise.race([Promise.resolve().then(() => spec.run({ signal: controller.signal, probe })), timedOut]);
    const durationMs = performance.now() - started;
    if (outcome === 'timeout') {
      controller.abort(new Error(`doctor check ${spec.id} timed out`));
      const finding: DoctorReportFinding = {
        level: 'error',
        code: 'doctor.check-timeout',
        message: `the check did not finish within ${formatDuration(timeoutMs)} and was stopped`,
        hint: 'it is probably waiting on the network or a locked file; run doctor again, or look into what it checks',
        ...(spec.pluginId ? { pluginId: spec.pluginId } : {}),
      };
      return { ...base, status: 'fail', findings: [finding], durationMs };
    }
    return {
      ...base,
      ...(outcome.description ? { description: outcome.description } : {}),
      status: statusOf(outcome.findings),
      findings: outcome.findings,
      durationMs,
      ...(outcome.detail ? { detail: outcome.detail } : {}),
    };
  } catch (error) {
    const finding: DoctorReportFinding = {
      level: 'error',
      code: 'doctor.check-threw',
      message: `the check threw: ${error instanceof Error ? error.message : String(error)}`,
      hint: spec.pluginId ? `this is a bug in ${spec.pluginId}'s check, or in what it checks; report it with this message` : 'report this with the message above',
      ...(spec.pluginId ? { pluginId: spec.pluginId } : {}),
    };
    return { ...base, status: 'fail', findings: [finding], durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function formatDuration(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
