import type { ColumnType } from 'kysely';

/**
 * The core tables as kysely sees them. Column types differ by dialect (TIMESTAMPTZ and JSONB on
 * PostgreSQL, INTEGER milliseconds and JSON text on SQLite), so timestamps and JSON are typed
 * loosely here and converted by `SqlBackend`.
 */
export type TimeColumn = ColumnType<Date | number | string, Date | number, Date | number>;
/** Written as JSON text; read back as text (SQLite) or parsed (PostgreSQL JSONB). */
export type JsonColumn = ColumnType<unknown, string, string>;
/** INTEGER is 64-bit on CockroachDB, which node-postgres returns as a string. */
export type CountColumn = ColumnType<number | string, number, number>;

export interface SessionsTable {
  id: string;
  agent_id: string;
  channel: string;
  session_key: string;
  title: string | null;
  metadata: JsonColumn;
  /** NULL: the system's (channel sessions, and those stored before owners existed). */
  owner_id: string | null;
  last_seq: CountColumn;
  created_at: TimeColumn;
  updated_at: TimeColumn;
}

export interface MessagesTable {
  id: string;
  session_id: string;
  seq: CountColumn;
  role: string;
  content: string;
  attachments: JsonColumn;
  tool_calls: JsonColumn;
  tool_results: JsonColumn;
  metadata: JsonColumn;
  created_at: TimeColumn;
}

export interface UsersTable {
  id: string;
  email: string | null;
  /** Case-folded email, folded in JS so every backend folds alike; unique. */
  email_key: string | null;
  name: string | null;
  created_at: TimeColumn;
}

export interface UserIdentitiesTable {
  provider: string;
  provider_id: string;
  user_id: string;
  created_at: TimeColumn;
}

export interface AgentsTable {
  id: string;
  user_id: string;
  name: string;
  model: string | null;
  system_prompt: string | null;
  /** BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite. */
  shared: ColumnType<boolean | number, boolean | number, boolean | number>;
  created_at: TimeColumn;
  updated_at: TimeColumn;
}

export interface ChannelConnectionsTable {
  id: string;
  user_id: string;
  channel: string;
  account_id: string;
  status: string;
  created_at: TimeColumn;
  updated_at: TimeColumn;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  user_id: string;
  key_hash: string;
  /** `admin` or `user`. */
  role: string;
  created_at: TimeColumn;
  revoked_at: TimeColumn | null;
}

export interface SchemaMigrationsTable {
  name: string;
  namespace: string;
  checksum: string;
  /** Application order, so `down` reverts the most recent first. */
  seq: CountColumn;
  applied_at: TimeColumn;
}

export interface SchemaMigrationsLockTable {
  id: number;
  note: string | null;
}

/**
 * Guard rows kept outside the migrated schema (never dropped by `nexus migrate down`): the
 * credentials marker, the migration pause and gateway leases. Created on the first write.
 */
export interface NexusSafeguardsTable {
  name: string;
  /** JSON text. */
  value: string;
  /** UTC milliseconds: when it was set or last renewed. */
  updated_at: CountColumn;
}

/** Which channel messages arrived already (`InboundReceiptStore`); migration core/0004_inbound_receipts. */
export interface InboundReceiptsTable {
  channel: string;
  account_id: string;
  external_id: string;
  message_id: string;
  received_at: TimeColumn;
}

/** Pairing requests and approvals (`ChannelPairingStore`); migration core/0005_channel_pairings. */
export interface ChannelPairingsTable {
  channel: string;
  account_id: string;
  sender_id: string;
  sender_name: string | null;
  code: string;
  status: string;
  requested_at: TimeColumn;
  expires_at: TimeColumn;
  decided_at: TimeColumn | null;
}

export interface Database {
  sessions: SessionsTable;
  messages: MessagesTable;
  users: UsersTable;
  user_identities: UserIdentitiesTable;
  agents: AgentsTable;
  channel_connections: ChannelConnectionsTable;
  api_keys: ApiKeysTable;
  schema_migrations: SchemaMigrationsTable;
  schema_migrations_lock: SchemaMigrationsLockTable;
  nexus_safeguards: NexusSafeguardsTable;
  inbound_receipts: InboundReceiptsTable;
  channel_pairings: ChannelPairingsTable;
}
