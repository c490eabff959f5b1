import type { SqlMigration } from '@nexus/plugin-sdk';

/**
 * The memory plugin's tables (namespace `memory`), all prefixed `memory_`. The Markdown files
 * are the source of truth: everything here can be rebuilt by `nexus memory index --force`.
 *
 * - `memory_files`: one row per indexed file, with its content hash (incremental re-index).
 * - `memory_chunks`: the chunks, with their line range and hash (reused when unchanged).
 * - `memory_chunk_vectors`: one embedding per chunk, float32 little-endian, with the model it
 *   came from. The sqlite-vec table, when the extension loads, mirrors these rows and is
 *   created at run time, since its width is the model's.
 * - `memory_embedding_cache`: embeddings by (provider, model, dimensions, input type, text hash).
 * - `memory_meta`: the embedding model the stored vectors belong to, counters.
 *
 * SQLite counts rows through the smallest index; `memory_chunk_vectors_by_dims` is that index,
 * so counting vectors does not read a page per vector (each row holds kilobytes).
 *
 * `down` leaves a sqlite-vec table (`memory_vec`) alone: dropping a vec0 table needs the
 * extension loaded, which the migrator does not do. The engine checks that table's width and row
 * count against the vectors whenever it opens, and rebuilds it when they differ.
 *
 * Lexical search is FTS5 on SQLite (an external-content table kept in step by triggers, each on
 * one line because statements split at a `;` ending a line) and a generated tsvector on
 * PostgreSQL ('simple' configuration: no stemming, like FTS5's unicode61).
 */
export const MEMORY_MIGRATIONS: readonly SqlMigration[] = [
  {
    id: '0001_memory_index',
    up: {
      sqlite: `
CREATE TABLE memory_files (
  path TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  evergreen INTEGER NOT NULL,
  file_date TEXT,
  chunking TEXT NOT NULL,
  indexed_at INTEGER NOT NULL
) STRICT;
CREATE TABLE memory_chunks (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL REFERENCES memory_files (path) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  text TEXT NOT NULL
) STRICT;
CREATE INDEX memory_chunks_by_path ON memory_chunks (path, seq);
CREATE VIRTUAL TABLE memory_chunks_fts USING fts5(text, content='memory_chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER memory_chunks_fts_insert AFTER INSERT ON memory_chunks BEGIN INSERT INTO memory_chunks_fts (rowid, text) VALUES (NEW.id, NEW.text); END;
CREATE TRIGGER memory_chunks_fts_delete AFTER DELETE ON memory_chunks BEGIN INSERT INTO memory_chunks_fts (memory_chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text); END;
CREATE TRIGGER memory_chunks_fts_update AFTER UPDATE OF text ON memory_chunks BEGIN INSERT INTO memory_chunks_fts (memory_chunks_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text); INSERT INTO memory_chunks_fts (rowid, text) VALUES (NEW.id, NEW.text); END;
CREATE TABLE memory_chunk_vectors (
  chunk_id INTEGER PRIMARY KEY REFERENCES memory_chunks (id) ON DELETE CASCADE,
  model_key TEXT NOT NULL,
  dims INTEGER NOT NULL,
  vector BLOB NOT NULL
) STRICT;
CREATE INDEX memory_chunk_vectors_by_dims ON memory_chunk_vectors (dims);
CREATE TABLE memory_embedding_cache (
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  dims INTEGER NOT NULL,
  input_type TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  vector BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  used_at INTEGER NOT NULL,
  PRIMARY KEY (provider, model, dims, input_type, text_hash)
) STRICT;
CREATE INDEX memory_embedding_cache_by_use ON memory_embedding_cache (used_at);
CREATE INDEX memory_embedding_cache_by_age ON memory_embedding_cache (created_at);
CREATE TABLE memory_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
`,
      postgres: `
CREATE TABLE memory_files (
  path TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  hash TEXT NOT NULL,
  size BIGINT NOT NULL,
  mtime_ms BIGINT NOT NULL,
  evergreen BOOLEAN NOT NULL,
  file_date TEXT,
  chunking TEXT NOT NULL,
  indexed_at BIGINT NOT NULL
);
CREATE TABLE memory_chunks (
  id BIGSERIAL PRIMARY KEY,
  path TEXT NOT NULL REFERENCES memory_files (path) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  start_line INTEGER NOT NULL,
  end_line INTEGER NOT NULL,
  text TEXT NOT NULL,
  tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
);
CREATE INDEX memory_chunks_by_path ON memory_chunks (path, seq);
CREATE INDEX memory_chunks_tsv ON memory_chunks USING GIN (tsv);
CREATE TABLE memory_chunk_vectors (
  chunk_id BIGINT PRIMARY KEY REFERENCES memory_chunks (id) ON DELETE CASCADE,
  model_key TEXT NOT NULL,
  dims INTEGER NOT NULL,
  vector BYTEA NOT NULL
);
CREATE TABLE memory_embedding_cache (
  provider TEXT NOT NULL,
  model TEXT NOT NULL,
  dims INTEGER NOT NULL,
  input_type TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  vector BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL,
  PRIMARY KEY (provider, model, dims, input_type, text_hash)
);
CREATE INDEX memory_embedding_cache_by_use ON memory_embedding_cache (used_at);
CREATE INDEX memory_embedding_cache_by_age ON memory_embedding_cache (created_at);
CREATE TABLE memory_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`,
    },
    down: {
      sqlite: 'DROP TABLE memory_meta;\nDROP TABLE memory_embedding_cache;\nDROP TABLE memory_chunk_vectors;\nDROP TABLE memory_chunks_fts;\nDROP TABLE memory_chunks;\nDROP TABLE memory_files;',
      postgres: 'DROP TABLE memory_meta;\nDROP TABLE memory_embedding_cache;\nDROP TABLE memory_chunk_vectors;\nDROP TABLE memory_chunks;\nDROP TABLE memory_files;',
    },
  },
  {
    // Flush confirmations, for `nexus memory stats`: the session keeps only its own last one.
    id: '0002_memory_flushes',
    up: {
      sqlite: `
CREATE TABLE memory_flushes (
  session_id TEXT NOT NULL,
  cycle INTEGER NOT NULL,
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  writes INTEGER NOT NULL,
  confirmed INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (session_id, cycle)
) STRICT;
CREATE INDEX memory_flushes_by_time ON memory_flushes (at);
`,
      postgres: `
CREATE TABLE memory_flushes (
  session_id TEXT NOT NULL,
  cycle INTEGER NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  writes INTEGER NOT NULL,
  confirmed INTEGER NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (session_id, cycle)
);
CREATE INDEX memory_flushes_by_time ON memory_flushes (at);
`,
    },
    down: 'DROP TABLE memory_flushes;',
  },
];
