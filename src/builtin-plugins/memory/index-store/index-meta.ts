import { randomBytes } from 'node:crypto';
import type { SqlClient } from '../sql/index.js';

/** Keys of `memory_meta`. */
export const META = {
  /** The embedder key (`provider|model|dimensions`) the stored vectors came from. */
  embeddingModel: 'embedding_model',
  /** Bumped with every change to the vectors, so in-process copies know when to reload. */
  vectorsGeneration: 'vectors_generation',
  /** The width the sqlite-vec table was created with. */
  vecDimensions: 'vec_dimensions',
} as const;

export async function readMeta(sql: SqlClient, key: string): Promise<string | undefined> {
  const [row] = await sql.all<{ value: string }>('SELECT value FROM memory_meta WHERE key = ?', [key]);
  return row?.value;
}

export async function writeMeta(sql: SqlClient, key: string, value: string): Promise<void> {
  await sql.run('INSERT INTO memory_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
}

export async function deleteMeta(sql: SqlClient, key: string): Promise<void> {
  await sql.run('DELETE FROM memory_meta WHERE key = ?', [key]);
}

/**
 * Marks the vectors as changed (inside the transaction that changed them); returns the new
 * generation. A counter plus a random tag: a rolled-back transaction's generation is never
 * written again, so an in-process copy that applied the rolled-back change can never match.
 */
export async function bumpVectorsGeneration(sql: SqlClient): Promise<string> {
  const current = Number.parseInt((await readMeta(sql, META.vectorsGeneration)) ?? '0', 10) || 0;
  const next = `${current + 1}-${randomBytes(4).toString('hex')}`;
  await writeMeta(sql, META.vectorsGeneration, next);
  return next;
}
