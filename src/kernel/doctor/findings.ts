import { formatSource, type Diagnostic } from '@nexus/plugin-sdk';
import type { DoctorReportFinding } from './doctor-result.js';

/** A kernel diagnostic as a doctor finding, its position flattened to `file:line:col (pointer)`. */
export function findingOf(diagnostic: Diagnostic): DoctorReportFinding {
  const where = formatSource(diagnostic.source);
  return {
    level: diagnostic.level,
    code: diagnostic.code,
    message: diagnostic.message,
    ...(where ? { where } : {}),
    ...(diagnostic.pluginId ? { pluginId: diagnostic.pluginId } : {}),
    ...(diagnostic.hint ? { hint: diagnostic.hint } : {}),
  };
}

export function info(message: string, hint?: string): DoctorReportFinding {
  return { level: 'info', message, ...(hint ? { hint } : {}) };
}
