import type { Document } from 'yaml';
import { yamlModule } from '../lazy/index.js';
import { positionOfOffset } from '../schema/index.js';
import { hasGoLayout } from './go-layout-migration.js';
import { CURRENT_CONFIG_VERSION } from './migration.js';
import { MigrationError } from './migration-error.js';

/**
 * The format version of a parsed config. Without a `version` key a file is version 0 only when it
 * holds Go-era settings; otherwise it is taken as current. A newer version is an error: this
 * Nexus cannot know what changed.
 */
export function configVersion(doc: Document, text: string, path: string): number {
  const { isScalar } = yamlModule();
  const node: unknown = doc.get('version', true);
  if (node === undefined) return hasGoLayout(doc) ? 0 : CURRENT_CONFIG_VERSION;
  const value = isScalar(node) ? node.value : undefined;
  const source = { file: path, ...positionOfOffset(text, isScalar(node) ? (node.range?.[0] ?? 0) : 0), pointer: '/version' };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new MigrationError([
      {
        level: 'error',
        code: 'config.version-invalid',
        message: `version must be a whole number from 0 to ${CURRENT_CONFIG_VERSION}`,
        source,
        hint: `write "version: ${CURRENT_CONFIG_VERSION}" for a file in the current format, or remove the line`,
      },
    ]);
  }
  if (value > CURRENT_CONFIG_VERSION) {
    throw new MigrationError([
      {
        level: 'error',
        code: 'config.version-newer',
        message: `${path} was written by a newer Nexus (config version ${value}; this Nexus reads up to version ${CURRENT_CONFIG_VERSION})`,
        source,
        hint: 'upgrade Nexus, or point --config at a file written for this version',
      },
    ]);
  }
  return value;
}
