import type { SqlClient } from '../sql/index.js';
import { toStoredChunk, type ChunkRow, type StoredChunk } from './chunk-store.js';

export interface LexicalHit {
  readonly chunk: StoredChunk;
  /** 0…1, higher is better. */
  readonly score: number;
}

/** Query words: letters and digits (any script), lower-cased, each once, in order. */
export function queryTerms(query: string): string[] {
  const terms = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  return [...new Set(terms)].slice(0, 64);
}

/**
 * FTS5's `bm25()` is negative, more negative being better; this maps it onto 0…1 so it can be
 * weighed against cosine similarity: `r < 0 ? -r / (1 - r) : 1 / (1 + r)` (the mapping OpenClaw
 * uses). Tiny corpora give an IDF near zero and so scores near zero: rank only matters relatively.
 */
export function bm25RankToScore(rank: number): number {
  if (!Number.isFinite(rank)) return 0;
  return rank < 0 ? -rank / (1 - rank) : 1 / (1 + rank);
}

/**
 * The best `limit` chunks for the words of `query`, any of which may match (ranking rewards
 * chunks with more of them, and rarer ones). SQLite: FTS5 with `bm25()`. PostgreSQL: the
 * generated tsvector with `ts_rank_cd` (normalisation 32 puts it on 0…1 already).
 */
export async function lexicalSearch(sql: SqlClient, query: string, limit: number): Promise<LexicalHit[]> {
  const terms = queryTerms(query);
  if (terms.length === 0) return [];
  if (sql.dialect === 'sqlite') {
    const match = terms.map((term) => `"${term}"`).join(' OR ');
    const rows = await sql.all<ChunkRow & { rank: number }>(
      `SELECT c.id, c.path, f.kind, c.start_line, c.end_line, c.text, f.evergreen, f.file_date, hit.rank AS rank
       FROM (SELECT rowid AS id, bm25(memory_chunks_fts) AS rank FROM memory_chunks_fts WHERE memory_chunks_fts MATCH ? ORDER BY rank LIMIT ?) hit
       JOIN memory_chunks c ON c.id = hit.id JOIN memory_files f ON f.path = c.path ORDER BY hit.rank`,
      [match, limit],
    );
    return rows.map((row) => ({ chunk: toStoredChunk(row), score: bm25RankToScore(Number(row.rank)) }));
  }
  const tsquery = terms.map((term) => `'${term}'`).join(' | ');
  const rows = await sql.all<ChunkRow & { rank: number | string }>(
    `SELECT c.id, c.path, f.kind, c.start_line, c.end_line, c.text, f.evergreen, f.file_date, ts_rank_cd(c.tsv, q.query, 32) AS rank
     FROM memory_chunks c JOIN memory_files f ON f.path = c.path CROSS JOIN to_tsquery('simple', ?) AS q(query)
     WHERE c.tsv @@ q.query ORDER BY rank DESC, c.id LIMIT ?`,
    [tsquery, limit],
  );
  return rows.map((row) => ({ chunk: toStoredChunk(row), score: Number(row.rank) }));
}
