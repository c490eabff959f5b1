export { contributedChecks, isProbeCheck, probeNotice } from './contributed-checks.js';
export {
  groupResults,
  statusOf,
  worstStatus,
  type DoctorCheckOutput,
  type DoctorCheckResult,
  type DoctorCheckSpec,
  type DoctorGroup,
  type DoctorReport,
  type DoctorReportFinding,
  type DoctorStatus,
} from './doctor-result.js';
export { auditPorts, tryListen, type ServerSettings } from './port-audit.js';
export { redactConfigText } from './redact-config-text.js';
export { DEFAULT_CHECK_TIMEOUT_MS, runChecks, type DoctorProgress, type RunChecksOptions } from './run-checks.js';
export { runDoctor, type DoctorOptions } from './run-doctor.js';
export { auditServiceUnits, defaultServiceLocations, repairServiceUnits, type CurrentInstall, type ServiceUnitLocation } from './service-audit.js';
