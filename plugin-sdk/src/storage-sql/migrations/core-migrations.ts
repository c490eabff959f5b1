import type { DialectSql, SqlMigration } from '../../contracts/index.js';

/**
 * Writes one schema for both dialects: `{uuid}`, `{json}`, `{time}` and `{bool}` become UUID,
 * JSONB, TIMESTAMPTZ and BOOLEAN on PostgreSQL (and CockroachDB), TEXT, TEXT, INTEGER
 * milliseconds and INTEGER 0/1 on SQLite, whose tables are STRICT so a wrong type fails instead of
 * being stored. `{false}` is the boolean literal.
 */
function both(template: string, sqliteOnly = ''): DialectSql {
  const fill = (types: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, name: string) => types[name] ?? `{${name}}`).trim();
  return {
    postgres: fill({ uuid: 'UUID', json: 'JSONB', time: 'TIMESTAMPTZ', bool: 'BOOLEAN', false: 'FALSE', strict: '' }),
    sqlite: `${fill({ uuid: 'TEXT', json: 'TEXT', time: 'INTEGER', bool: 'INTEGER', false: '0', strict: ' STRICT' })}${sqliteOnly}`,
  };
}

/**
 * SQLite cannot write in a CTE, so appending a message is an INSERT … SELECT that numbers it
 * `last_seq + 1`, and this trigger moves the session's counter and `updated_at` in the same
 * statement. (On PostgreSQL the append statement bumps the session itself.) One line: statements
 * split at a `;` that ends a line.
 */
const SQLITE_APPEND_TRIGGER =
  '\nCREATE TRIGGER messages_bump_session AFTER INSERT ON messages BEGIN UPDATE sessions SET last_seq = NEW.seq, updated_at = NEW.created_at WHERE id = NEW.session_id; END;';

/**
 * The core schema, namespace `core`. Never edit a migration once released: checksums would flag
 * it as tampered in every database that applied it. Add a new one instead.
 */
export const CORE_MIGRATIONS: readonly SqlMigration[] = [
  {
    id: '0001_sessions',
    up: both(`
CREATE TABLE sessions (
  id {uuid} PRIMARY KEY,
  agent_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  session_key TEXT NOT NULL UNIQUE,
  title TEXT,
  metadata {json} NOT NULL,
  last_seq INTEGER NOT NULL DEFAULT 0,
  created_at {time} NOT NULL,
  updated_at {time} NOT NULL
){strict};
CREATE INDEX sessions_by_agent ON sessions (agent_id, id);
CREATE INDEX sessions_by_channel ON sessions (channel, id);
CREATE TABLE messages (
  session_id {uuid} NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  id {uuid} NOT NULL UNIQUE,
  role TEXT NOT NULL,
  content TEXT NOT NULL,
  attachments {json} NOT NULL,
  tool_calls {json} NOT NULL,
  tool_results {json} NOT NULL,
  metadata {json} NOT NULL,
  created_at {time} NOT NULL,
  PRIMARY KEY (session_id, seq)
){strict};
`, SQLITE_APPEND_TRIGGER),
    down: 'DROP TABLE messages;\nDROP TABLE sessions;',
  },
  {
    id: '0002_accounts',
    up: both(`
CREATE TABLE users (
  id {uuid} PRIMARY KEY,
  email TEXT,
  email_key TEXT UNIQUE,
  name TEXT,
  created_at {time} NOT NULL
){strict};
CREATE TABLE user_identities (
  provider TEXT NOT NULL,
  provider_id TEXT NOT NULL,
  user_id {uuid} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at {time} NOT NULL,
  PRIMARY KEY (provider, provider_id)
){strict};
CREATE INDEX user_identities_by_user ON user_identities (user_id);
CREATE TABLE agents (
  id {uuid} PRIMARY KEY,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  model TEXT,
  system_prompt TEXT,
  created_at {time} NOT NULL,
  updated_at {time} NOT NULL,
  UNIQUE (user_id, name)
){strict};
CREATE TABLE channel_connections (
  id {uuid} PRIMARY KEY,
  user_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  status TEXT NOT NULL,
  created_at {time} NOT NULL,
  updated_at {time} NOT NULL,
  UNIQUE (user_id, channel, account_id)
){strict};
CREATE TABLE api_keys (
  id {uuid} PRIMARY KEY,
  name TEXT NOT NULL,
  user_id TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_at {time} NOT NULL,
  revoked_at {time}
){strict};
`),
    down: 'DROP TABLE api_keys;\nDROP TABLE channel_connections;\nDROP TABLE agents;\nDROP TABLE user_identities;\nDROP TABLE users;',
  },
  {
    /**
     * Who may reach what: a session's owner (NULL: the system's, admins only; every session
     * stored before this migration becomes one), whether an admin shared an agent, and each API
     * key's role. Every key starts as `user`, except the oldest live one, which becomes `admin`,
     * as the first key on a fresh install does.
     */
    id: '0003_owners_and_roles',
    up: both(`
ALTER TABLE sessions ADD COLUMN owner_id TEXT;
CREATE INDEX sessions_by_owner ON sessions (owner_id, id);
ALTER TABLE agents ADD COLUMN shared {bool} NOT NULL DEFAULT {false};
ALTER TABLE api_keys ADD COLUMN role TEXT NOT NULL DEFAULT 'user';
UPDATE api_keys SET role = 'admin' WHERE id = (SELECT id FROM api_keys WHERE revoked_at IS NULL ORDER BY id LIMIT 1);
`),
    down: 'ALTER TABLE api_keys DROP COLUMN role;\nALTER TABLE agents DROP COLUMN shared;\nDROP INDEX sessions_by_owner;\nALTER TABLE sessions DROP COLUMN owner_id;',
  },
  {
    // The de-duplication window of every channel (InboundReceiptStore); pruned by age per channel.
    id: '0004_inbound_receipts',
    up: both(`
CREATE TABLE inbound_receipts (
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  received_at {time} NOT NULL,
  PRIMARY KEY (channel, account_id, external_id)
){strict};
CREATE INDEX inbound_receipts_by_age ON inbound_receipts (channel, received_at);
`),
    down: 'DROP TABLE inbound_receipts;',
  },
  {
    // Pairing requests and approvals of direct-message senders (ChannelPairingStore): one row per
    // sender of an account, replaced when an expired or denied sender asks again. The partial
    // index keeps a code unique among pending requests, so approving a code picks one sender.
    id: '0005_channel_pairings',
    up: both(`
CREATE TABLE channel_pairings (
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  sender_id TEXT NOT NULL,
  sender_name TEXT,
  code TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_at {time} NOT NULL,
  expires_at {time} NOT NULL,
  decided_at {time},
  PRIMARY KEY (channel, account_id, sender_id)
){strict};
CREATE UNIQUE INDEX channel_pairings_pending_code ON channel_pairings (code) WHERE status = 'pending';
CREATE INDEX channel_pairings_by_status ON channel_pairings (channel, status, requested_at);
`),
    down: 'DROP TABLE channel_pairings;',
  },
];
