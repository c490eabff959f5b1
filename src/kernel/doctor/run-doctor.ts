import { homedir } from 'node:os';
import type { Kernel } from '../kernel.js';
import { configFileCheck, migrationCheck, validationCheck } from './config-checks.js';
import { contributedChecks, probeNotice } from './contributed-checks.js';
import type { DoctorCheckResult, DoctorCheckSpec, DoctorReport } from './doctor-result.js';
import { info } from './findings.js';
import { pluginChecks } from './plugin-checks.js';
import { auditPorts, type ServerSettings } from './port-audit.js';
import { runChecks, type DoctorProgress } from './run-checks.js';
import { auditServiceUnits, defaultServiceLocations, repairServiceUnits, type CurrentInstall, type ServiceUnitLocation } from './service-audit.js';

export interface DoctorOptions {
  /** The config file in effect (it may not exist), or undefined when defaults apply. */
  readonly configPath: string | undefined;
  /** Builds the kernel from the config file; throws ConfigFileError when the file does not load. */
  readonly loadKernel: () => Kernel;
  /** Apply pending config migrations. */
  readonly repair?: boolean;
  /** Let contributed checks talk to live endpoints. */
  readonly probe?: boolean;
  /** Check ports and installed service units. */
  readonly audit?: boolean;
  /** Per check; default 5 s. */
  readonly timeoutMs?: number;
  readonly onProgress?: (progress: DoctorProgress) => void;
  /** Where to look for service units (default: the systemd and launchd paths). */
  readonly serviceLocations?: readonly ServiceUnitLocation[];
  /** For PATH lookups of service executables. */
  readonly env?: NodeJS.ProcessEnv;
  /** With `repair` and `audit`: what a stale service unit is rewritten to run. */
  readonly currentInstall?: CurrentInstall;
}

/**
 * Runs every doctor check in phases: config (migrations first, so `repair` lands before the
 * kernel reads the file), then each plugin, then contributed checks, then the audit. Checks
 * that need the kernel are left out when the config does not load. The caller stops the kernel.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const results: DoctorCheckResult[] = [];
  const auditCount = options.audit ? 2 : 0;
  const run = async (specs: readonly DoctorCheckSpec[], later: number) => {
    const batch = await runChecks(specs, { timeoutMs: options.timeoutMs, probe: options.probe, onProgress: options.onProgress, done: results.length, later });
    results.push(...batch);
  };

  let kernel: Kernel | undefined;
  await run([migrationCheck(options.configPath, options.repair === true), configFileCheck(options.configPath, options.loadKernel, (k) => (kernel = k))], auditCount + 1);

  if (kernel) {
    const loaded: Kernel = kernel;
    const plugins = pluginChecks(loaded);
    const contributed = contributedChecks(loaded);
    const notice = options.probe ? probeNotice(contributed) : undefined;
    await run([validationCheck(loaded), ...plugins, ...contributed, ...(notice ? [notice] : [])], auditCount);
  }

  if (options.audit) {
    await run(
      [
        {
          group: 'audit',
          id: 'ports',
          description: 'server ports are free to listen on',
          run: async ({ signal }) =>
            kernel
              ? { findings: await auditPorts(kernel.settings.section<ServerSettings>('server'), signal) }
              : { findings: [{ level: 'warning', message: 'not checked: the config does not load' }] },
        },
        {
          group: 'audit',
          id: 'services',
          description: 'installed service units',
          run: () => {
            const home = options.env?.HOME || homedir();
            const locations = options.serviceLocations ?? defaultServiceLocations(options.env, home);
            const repaired = options.repair && options.currentInstall ? repairServiceUnits(locations, options.currentInstall, home) : [];
            return { findings: [...repaired, ...auditServiceUnits(locations, options.env, home)] };
          },
        },
      ],
      0,
    );
  }
  if (results.length === 0) results.push({ group: 'config', id: 'file', status: 'ok', findings: [info('nothing to check')], durationMs: 0 });
  return { ok: results.every((r) => r.status !== 'fail'), results };
}
