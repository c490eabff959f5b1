import type { SqlMigration } from '@nexus/plugin-sdk';

/**
 * The plugin's own table: each bot's next getUpdates offset. Keyed by the bot id (the part of
 * the token before the colon), so a rotated token keeps its place and two accounts never share a
 * row. Never edit a released migration; add the next one.
 */
export const TELEGRAM_MIGRATIONS: readonly SqlMigration[] = [
  {
    id: '0001_update_offsets',
    up: 'CREATE TABLE telegram_update_offsets (bot_id TEXT PRIMARY KEY, next_offset BIGINT NOT NULL, updated_at BIGINT NOT NULL);',
    down: 'DROP TABLE telegram_update_offsets;',
  },
];
