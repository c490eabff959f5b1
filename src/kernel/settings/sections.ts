import type { Diagnostic } from '@nexus/plugin-sdk';
import { quarantine, type PluginRecord } from '../plan/plugin-record.js';

/** Sections the kernel owns itself; their schemas live in schemas/config.schema.json. */
export const KERNEL_SECTIONS = ['version', 'plugins', 'logging'] as const;
/** Sections whose keys are owned one by one (`channels.telegram`, `tools.websearch`). */
export const COMPOSITE_SECTIONS = ['channels', 'tools'] as const;

export interface SectionOwner {
  readonly pluginId: string;
  readonly schema: Record<string, unknown>;
}

/**
 * Who owns each plugin-provided section (`server`) or composite key (`channels.telegram`).
 * Exactly one owner per section: a later claimant, or one claiming a kernel section, is
 * quarantined with a diagnostic naming the owner. Disabled plugins still own their sections,
 * so their config is checked (and only warns).
 */
export function sectionOwners(records: Iterable<PluginRecord>): Map<string, SectionOwner> {
  const owners = new Map<string, SectionOwner>();
  for (const record of records) {
    if (!record.manifest || record.state === 'failed') continue;
    record.manifest.contributes?.configSections?.forEach(({ section, schema }, index) => {
      const [root = section, key] = section.split('.');
      const taken = owners.get(section)?.pluginId ?? (isKernelSection(section) ? 'the kernel' : undefined);
      const problem = taken
        ? `config section "${section}" is already owned by ${taken}`
        : key === undefined && (COMPOSITE_SECTIONS as readonly string[]).includes(root)
          ? `"${section}" is a composite section: contribute a key inside it, such as "${section}.${record.id}"`
          : key !== undefined && !(COMPOSITE_SECTIONS as readonly string[]).includes(root)
            ? `"${section}" nests under "${root}", which is not a composite section (${COMPOSITE_SECTIONS.join(', ')})`
            : undefined;
      if (problem) {
        quarantine(record, sectionConflict(record, index, problem));
        return;
      }
      owners.set(section, { pluginId: record.id, schema });
    });
  }
  return owners;
}

export function isKernelSection(name: string): boolean {
  return (KERNEL_SECTIONS as readonly string[]).includes(name);
}

function sectionConflict(record: PluginRecord, index: number, message: string): Diagnostic {
  return {
    level: 'error',
    code: 'manifest.section-conflict',
    message,
    pluginId: record.id,
    source: { file: record.manifestPath, pointer: `/contributes/configSections/${index}/section` },
    hint: 'each section has one owner; read another plugin\'s section through ConfigToken instead of claiming it',
  };
}
