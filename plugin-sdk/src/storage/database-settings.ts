import { requireDuration } from '../duration/index.js';
import { isAbsolute, join, resolve } from 'node:path';
import type { ConfigAccess } from '../contracts/index.js';

/** The `database` section, as the kernel hands it over: validated, with the storage plugin's defaults. */
export interface DatabaseSettings {
  readonly url: string;
  readonly path: string;
  readonly max_connections: number;
  readonly conn_max_lifetime: string;
  readonly busy_timeout: string;
  readonly synchronous: 'full' | 'normal';
  /** Absent: the backend's default (SQLite yes, PostgreSQL no). */
  readonly auto_migrate?: boolean;
}

export function readDatabaseSettings(config: ConfigAccess): DatabaseSettings {
  const settings = config.section<DatabaseSettings>('database');
  // The storage plugin owns the section and its schema accepts {}, so a missing value means that
  // plugin is disabled; no default here could stand in for the operator's choice.
  if (!settings) throw new Error('the database section has no value: enable the "storage" plugin, which owns it');
  return settings;
}

/** The SQLite file: `database.path` (relative to the host's home), by default `<home>/data/nexus.db`. */
export function sqliteFile(settings: DatabaseSettings, home: string): string {
  if (settings.path === '') return join(home, 'data', 'nexus.db');
  return isAbsolute(settings.path) ? settings.path : resolve(home, settings.path);
}

/** `5m` → 300000; `setting` names the key in the error when the text is not a duration. */
export function durationMs(text: string, setting: string): number {
  return requireDuration(text, setting);
}

/** The URL without its password (and without query parameters, which may carry one), for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '<unparseable database.url>';
  }
}
