import type { Chunk } from '../chunking/index.js';
import type { MemoryFile } from '../paths/index.js';
import type { SqlClient } from '../sql/index.js';

/** A file as the index last saw it. */
export interface StoredFile {
  readonly path: string;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly chunking: string;
}

/** A chunk row with what ranking and results need from its file. */
export interface StoredChunk {
  readonly id: number;
  readonly path: string;
  readonly kind: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
  readonly evergreen: boolean;
  readonly fileDate?: string;
}

export interface FileVersion {
  readonly file: MemoryFile;
  readonly hash: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly chunking: string;
  readonly chunks: readonly Chunk[];
}

export interface ReplaceOutcome {
  readonly added: number;
  readonly kept: number;
  /** Chunk ids deleted (their vectors went with them). */
  readonly removedIds: readonly number[];
}

/** Largest IN (…) list per statement: well under SQLite's and PostgreSQL's parameter limits. */
const IN_BATCH = 500;

/**
 * The files and chunks tables. Chunks are matched by content hash when a file changes: an
 * unchanged chunk keeps its row (and so its embedding) and only has its position updated; the
 * rest are inserted or deleted. Children are deleted explicitly, since a SQLite connection may
 * have foreign keys off.
 */
export class ChunkStore {
  constructor(private readonly sql: SqlClient) {}

  async files(): Promise<Map<string, StoredFile>> {
    const rows = await this.sql.all<{ path: string; hash: string; size: number | string; mtime_ms: number | string; chunking: string }>('SELECT path, hash, size, mtime_ms, chunking FROM memory_files');
    return new Map(rows.map((r) => [r.path, { path: r.path, hash: r.hash, size: Number(r.size), mtimeMs: Number(r.mtime_ms), chunking: r.chunking }]));
  }

  /** Records a file whose bytes did not change but whose time stamp did, so the next run can skip reading it. */
  async touch(tx: SqlClient, path: string, mtimeMs: number, size: number): Promise<void> {
    await tx.run('UPDATE memory_files SET mtime_ms = ?, size = ? WHERE path = ?', [mtimeMs, size, path]);
  }

  /** Brings one file's rows in line with `version`. Run inside a transaction. */
  async replace(tx: SqlClient, version: FileVersion, now: number): Promise<ReplaceOutcome> {
    const { file } = version;
    const evergreen = tx.dialect === 'sqlite' ? (file.evergreen ? 1 : 0) : file.evergreen;
    await tx.run(
      `INSERT INTO memory_files (path, kind, hash, size, mtime_ms, evergreen, file_date, chunking, indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET kind = excluded.kind, hash = excluded.hash, size = excluded.size, mtime_ms = excluded.mtime_ms, evergreen = excluded.evergreen, file_date = excluded.file_date, chunking = excluded.chunking, indexed_at = excluded.indexed_at`,
      [file.path, file.kind, version.hash, version.size, version.mtimeMs, evergreen, file.date ?? null, version.chunking, now],
    );
    const existing = await tx.all<{ id: number | string; hash: string; seq: number; start_line: number; end_line: number }>('SELECT id, hash, seq, start_line, end_line FROM memory_chunks WHERE path = ? ORDER BY seq', [file.path]);
    const byHash = new Map<string, { id: number; seq: number; start_line: number; end_line: number }[]>();
    for (const row of existing) {
      const list = byHash.get(row.hash) ?? [];
      list.push({ ...row, id: Number(row.id) });
      byHash.set(row.hash, list);
    }
    let added = 0;
    let kept = 0;
    const pending: Chunk[] = [];
    for (const chunk of version.chunks) {
      const match = byHash.get(chunk.hash)?.shift();
      if (!match) {
        pending.push(chunk);
        continue;
      }
      kept++;
      if (match.seq !== chunk.seq || match.start_line !== chunk.startLine || match.end_line !== chunk.endLine) {
        await tx.run('UPDATE memory_chunks SET seq = ?, start_line = ?, end_line = ? WHERE id = ?', [chunk.seq, chunk.startLine, chunk.endLine, match.id]);
      }
    }
    const removedIds = [...byHash.values()].flat().map((row) => row.id);
    await this.deleteChunks(tx, removedIds);
    for (const chunk of pending) {
      await tx.run('INSERT INTO memory_chunks (path, seq, hash, start_line, end_line, text) VALUES (?, ?, ?, ?, ?, ?)', [file.path, chunk.seq, chunk.hash, chunk.startLine, chunk.endLine, chunk.text]);
      added++;
    }
    return { added, kept, removedIds };
  }

  /** Forgets a file that is gone; returns the ids of its chunks. */
  async remove(tx: SqlClient, path: string): Promise<number[]> {
    const ids = (await tx.all<{ id: number | string }>('SELECT id FROM memory_chunks WHERE path = ?', [path])).map((r) => Number(r.id));
    await this.deleteChunks(tx, ids);
    await tx.run('DELETE FROM memory_files WHERE path = ?', [path]);
    return ids;
  }

  private async deleteChunks(tx: SqlClient, ids: readonly number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += IN_BATCH) {
      const batch = ids.slice(i, i + IN_BATCH);
      const marks = placeholders(batch.length);
      await tx.run(`DELETE FROM memory_chunk_vectors WHERE chunk_id IN (${marks})`, batch);
      await tx.run(`DELETE FROM memory_chunks WHERE id IN (${marks})`, batch);
    }
  }

  /** Chunks with their files' ranking facts, in the order of `ids`; ids that are gone are skipped. */
  async chunksByIds(ids: readonly number[]): Promise<StoredChunk[]> {
    const found = new Map<number, StoredChunk>();
    for (let i = 0; i < ids.length; i += IN_BATCH) {
      const batch = ids.slice(i, i + IN_BATCH);
      const rows = await this.sql.all<ChunkRow>(`${CHUNK_SELECT} WHERE c.id IN (${placeholders(batch.length)})`, batch);
      for (const row of rows) found.set(Number(row.id), toStoredChunk(row));
    }
    return ids.map((id) => found.get(id)).filter((c): c is StoredChunk => c !== undefined);
  }

  /** Chunks that have no vector yet, oldest first. */
  async chunksWithoutVectors(limit: number): Promise<{ id: number; text: string; hash: string }[]> {
    const rows = await this.sql.all<{ id: number | string; text: string; hash: string }>(
      'SELECT c.id, c.text, c.hash FROM memory_chunks c LEFT JOIN memory_chunk_vectors v ON v.chunk_id = c.id WHERE v.chunk_id IS NULL ORDER BY c.id LIMIT ?',
      [limit],
    );
    return rows.map((r) => ({ id: Number(r.id), text: r.text, hash: r.hash }));
  }

  async counts(): Promise<{ files: number; chunks: number; vectors: number }> {
    const [row] = await this.sql.all<{ files: number | string; chunks: number | string; vectors: number | string }>(
      'SELECT (SELECT COUNT(*) FROM memory_files) AS files, (SELECT COUNT(*) FROM memory_chunks) AS chunks, (SELECT COUNT(*) FROM memory_chunk_vectors) AS vectors',
    );
    return { files: Number(row?.files ?? 0), chunks: Number(row?.chunks ?? 0), vectors: Number(row?.vectors ?? 0) };
  }
}

export interface ChunkRow {
  id: number | string;
  path: string;
  kind: string;
  start_line: number;
  end_line: number;
  text: string;
  evergreen: number | boolean;
  file_date: string | null;
}

export const CHUNK_SELECT = 'SELECT c.id, c.path, f.kind, c.start_line, c.end_line, c.text, f.evergreen, f.file_date FROM memory_chunks c JOIN memory_files f ON f.path = c.path';

export function toStoredChunk(row: ChunkRow): StoredChunk {
  return {
    id: Number(row.id),
    path: row.path,
    kind: row.kind,
    startLine: Number(row.start_line),
    endLine: Number(row.end_line),
    text: row.text,
    evergreen: Boolean(row.evergreen),
    ...(row.file_date ? { fileDate: row.file_date } : {}),
  };
}

export function placeholders(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}
