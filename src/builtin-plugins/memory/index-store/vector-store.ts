import { decodeVector, encodeVector } from '../embeddings/index.js';
import type { SqlClient } from '../sql/index.js';
import { placeholders } from './chunk-store.js';
import { bumpVectorsGeneration, META, readMeta, writeMeta } from './index-meta.js';
import { VectorMatrix, type VectorHit } from './vector-matrix.js';

export type { VectorHit } from './vector-matrix.js';

/** A way the vector side disagrees with itself, found by `check`. */
export interface VectorMismatch {
  readonly kind: 'vec-rows';
  readonly expected: number;
  readonly actual: number;
  readonly message: string;
}

export interface VectorSearch {
  readonly hits: readonly VectorHit[];
  readonly via: 'sqlite-vec' | 'exact';
  /** Why sqlite-vec was not used although it loaded, when that is a problem. */
  readonly note?: string;
}

/** Which backend answers vector searches now, and why when it is not the obvious one. */
export interface VectorBackend {
  readonly backend: 'sqlite-vec' | 'exact';
  readonly reason?: string;
}

const IN_BATCH = 500;

/**
 * The chunk embeddings (`memory_chunk_vectors`, the truth) and how they are searched: exact
 * cosine over an in-process matrix (`VectorMatrix`, loaded once, then kept up to date by this
 * store's own writes and reloaded only when another writer changed the vectors), or, on SQLite
 * with the extension loaded, a sqlite-vec `vec0` table mirroring them. Both scan every vector;
 * the in-process scan is several times faster, so sqlite-vec answers only when the matrix would
 * outgrow `memory.search.in_process_max_mb`. The mirror is checked against the vectors (row
 * counts) after every index run and before it is trusted: out of step, search uses exact cosine
 * and says so, and the next index run rebuilds it.
 */
export class VectorStore {
  private vecLoaded = false;
  private vecReason: string | undefined;
  private matrix: VectorMatrix | undefined;
  private checkedGeneration: string | undefined;
  private mismatch: VectorMismatch | undefined;
  /** Whether the vectors of a generation fit in process, so a search above the limit does not count them every time. */
  private sized: { generation: string; bytes: number } | undefined;

  /** `inProcessMaxBytes`: the largest in-process matrix; beyond it sqlite-vec answers when loaded. */
  constructor(
    private readonly sql: SqlClient,
    private readonly inProcessMaxBytes: number,
  ) {}

  /** Loads sqlite-vec when asked and possible; otherwise records why not. Never throws for that. */
  async open(useSqliteVec: boolean): Promise<void> {
    if (this.sql.dialect !== 'sqlite') {
      this.vecReason = 'PostgreSQL: vectors are compared exactly in process (pgvector is not used)';
      return;
    }
    if (!useSqliteVec) {
      this.vecReason = 'memory.search.sqlite_vec is off';
      return;
    }
    if (!this.sql.loadExtension) {
      this.vecReason = 'the SQL service cannot load extensions';
      return;
    }
    try {
      const sqliteVec = (await import('sqlite-vec')) as { getLoadablePath(): string };
      this.sql.loadExtension(sqliteVec.getLoadablePath());
      await this.sql.all('SELECT vec_version() AS version');
      this.vecLoaded = true;
    } catch (error) {
      this.vecReason = `sqlite-vec did not load (${(error as Error).message.split('\n')[0]})`;
    }
  }

  /** The backend a vector search would use now, and why when it is `exact`. */
  async backend(): Promise<VectorBackend> {
    if (!this.vecLoaded) return { backend: 'exact', ...(this.vecReason ? { reason: this.vecReason } : {}) };
    const mismatch = await this.check();
    if (mismatch) return { backend: 'exact', reason: mismatch.message };
    const bytes = await this.vectorBytes();
    if (bytes > this.inProcessMaxBytes) return { backend: 'sqlite-vec', reason: `the vectors (${megabytes(bytes)} MB) exceed memory.search.in_process_max_mb (${megabytes(this.inProcessMaxBytes)} MB)` };
    return { backend: 'exact', reason: `the vectors (${megabytes(bytes)} MB) fit memory.search.in_process_max_mb (${megabytes(this.inProcessMaxBytes)} MB): compared in process, faster than the sqlite-vec scan` };
  }

  /** Stores vectors for chunks (inside the caller's transaction), mirroring them into sqlite-vec. */
  async add(tx: SqlClient, rows: readonly { readonly id: number; readonly vector: Float32Array }[], modelKey: string): Promise<void> {
    if (rows.length === 0) return;
    for (const row of rows) {
      await tx.run('INSERT INTO memory_chunk_vectors (chunk_id, model_key, dims, vector) VALUES (?, ?, ?, ?) ON CONFLICT (chunk_id) DO UPDATE SET model_key = excluded.model_key, dims = excluded.dims, vector = excluded.vector', [row.id, modelKey, row.vector.length, encodeVector(row.vector)]);
    }
    if (this.vecLoaded) {
      const dims = rows[0]!.vector.length;
      if ((await readMeta(tx, META.vecDimensions)) !== String(dims)) await this.createMirror(tx, dims);
      for (const row of rows) {
        await tx.run('DELETE FROM memory_vec WHERE rowid = ?', [BigInt(row.id)]);
        await tx.run('INSERT INTO memory_vec (rowid, embedding) VALUES (?, ?)', [BigInt(row.id), encodeVector(row.vector)]);
      }
    }
    await this.changed(tx, (matrix) => rows.every((row) => matrix.upsert(row.id, row.vector)));
  }

  /** Forgets the mirror rows of deleted chunks (their vectors were deleted with them). */
  async removed(tx: SqlClient, ids: readonly number[]): Promise<void> {
    if (ids.length === 0) return;
    if (this.vecLoaded && (await readMeta(tx, META.vecDimensions)) !== undefined) {
      for (let i = 0; i < ids.length; i += IN_BATCH) {
        const batch = ids.slice(i, i + IN_BATCH).map((id) => BigInt(id));
        await tx.run(`DELETE FROM memory_vec WHERE rowid IN (${placeholders(batch.length)})`, batch);
      }
    }
    await this.changed(tx, (matrix) => {
      for (const id of ids) matrix.remove(id);
      return true;
    });
  }

  /** Drops every vector: the embedding model changed and a forced re-index starts over. */
  async clear(tx: SqlClient): Promise<void> {
    await tx.run('DELETE FROM memory_chunk_vectors');
    if (this.vecLoaded && (await readMeta(tx, META.vecDimensions)) !== undefined) await tx.run('DELETE FROM memory_vec');
    await this.changed(tx, (matrix) => {
      matrix.clear();
      return true;
    });
  }

  /** Rows in the sqlite-vec mirror; undefined without one. */
  async mirrorRows(): Promise<number | undefined> {
    if (!this.vecLoaded || (await readMeta(this.sql, META.vecDimensions)) === undefined) return undefined;
    const [row] = await this.sql.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM memory_vec');
    return Number(row?.n ?? 0);
  }

  /**
   * Compares the mirror with the vectors; undefined when in step or absent. Search asks once per
   * generation (cheap); `fresh` counts again, for stats and after indexing, which also catches
   * rows lost behind the generation's back (a crash, a hand edit, another tool).
   */
  async check(fresh = false): Promise<VectorMismatch | undefined> {
    if (!this.vecLoaded) return undefined;
    const generation = (await readMeta(this.sql, META.vectorsGeneration)) ?? '0';
    if (!fresh && generation === this.checkedGeneration) return this.mismatch;
    const [row] = await this.sql.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM memory_chunk_vectors');
    const expected = Number(row?.n ?? 0);
    const actual = (await this.mirrorRows()) ?? 0;
    this.mismatch =
      expected === actual
        ? undefined
        : { kind: 'vec-rows', expected, actual, message: `the sqlite-vec table holds ${actual} rows for ${expected} stored vectors; vector search compares exactly in process until \`nexus memory index\` rebuilds it` };
    this.checkedGeneration = generation;
    return this.mismatch;
  }

  /** Rebuilds the mirror from the stored vectors. */
  async repair(): Promise<void> {
    if (!this.vecLoaded) return;
    await this.sql.transaction(async (tx) => {
      const [first] = await tx.all<{ dims: number }>('SELECT dims FROM memory_chunk_vectors LIMIT 1');
      if (!first) {
        if ((await readMeta(tx, META.vecDimensions)) !== undefined) await tx.run('DELETE FROM memory_vec');
      } else {
        await this.createMirror(tx, Number(first.dims));
        const rows = await tx.all<{ chunk_id: number | string; vector: Uint8Array }>('SELECT chunk_id, vector FROM memory_chunk_vectors');
        for (const row of rows) await tx.run('INSERT INTO memory_vec (rowid, embedding) VALUES (?, ?)', [BigInt(row.chunk_id), row.vector]);
      }
      await this.changed(tx, () => true);
    });
    this.checkedGeneration = undefined;
  }

  /** The `k` most similar chunks. */
  async search(query: Float32Array, k: number): Promise<VectorSearch> {
    let note: string | undefined;
    if (this.vecLoaded) {
      const mismatch = await this.check();
      note = mismatch?.message;
      if (!mismatch && (await readMeta(this.sql, META.vecDimensions)) === String(query.length) && (await this.vectorBytes()) > this.inProcessMaxBytes) {
        this.matrix = undefined;
        const rows = await this.sql.all<{ id: number | bigint; distance: number }>('SELECT rowid AS id, distance FROM memory_vec WHERE embedding MATCH ? AND k = ?', [encodeVector(query), k]);
        return { hits: rows.map((r) => ({ id: Number(r.id), similarity: 1 - r.distance })), via: 'sqlite-vec' };
      }
    }
    const matrix = await this.loadMatrix();
    return { hits: matrix.topK(query, k), via: 'exact', ...(note ? { note } : {}) };
  }

  /**
   * Records a change to the vectors (inside its transaction): bumps the generation and, when the
   * in-process matrix was current, applies the same change to it, so it stays current without a
   * reload. Otherwise (or when `apply` cannot, e.g. another vector size) the matrix is dropped and
   * the next search loads it again. A rolled-back change leaves the matrix at a generation that
   * is never committed, so it is reloaded then too.
   */
  private async changed(tx: SqlClient, apply: (matrix: VectorMatrix) => boolean): Promise<void> {
    const before = (await readMeta(tx, META.vectorsGeneration)) ?? '0';
    const after = await bumpVectorsGeneration(tx);
    const matrix = this.matrix;
    if (matrix && matrix.generation === before && apply(matrix)) matrix.generation = after;
    else this.matrix = undefined;
  }

  /** Bytes the in-process matrix holds, or would hold, for the vectors now stored. */
  private async vectorBytes(): Promise<number> {
    const generation = (await readMeta(this.sql, META.vectorsGeneration)) ?? '0';
    if (this.matrix?.generation === generation) return this.matrix.byteLength;
    if (this.sized?.generation !== generation) {
      const [row] = await this.sql.all<{ n: number | string; dims: number | string | null }>('SELECT COUNT(*) AS n, MAX(dims) AS dims FROM memory_chunk_vectors');
      this.sized = { generation, bytes: Number(row?.n ?? 0) * Math.ceil(Number(row?.dims ?? 0) / 16) * 16 * 4 };
    }
    return this.sized.bytes;
  }

  private async createMirror(tx: SqlClient, dims: number): Promise<void> {
    await tx.run('DROP TABLE IF EXISTS memory_vec');
    await tx.run(`CREATE VIRTUAL TABLE memory_vec USING vec0(embedding float[${Math.trunc(dims)}] distance_metric=cosine)`);
    await writeMeta(tx, META.vecDimensions, String(dims));
  }

  /** The in-process matrix for the stored vectors, loaded when another writer changed them (or never loaded). */
  private async loadMatrix(): Promise<VectorMatrix> {
    const generation = (await readMeta(this.sql, META.vectorsGeneration)) ?? '0';
    if (this.matrix?.generation === generation) return this.matrix;
    const rows = await this.sql.all<{ chunk_id: number | string; vector: Uint8Array }>('SELECT chunk_id, vector FROM memory_chunk_vectors ORDER BY chunk_id');
    const matrix = new VectorMatrix(generation);
    // Rows of another size than the first are stale leftovers of a model change; they are skipped.
    for (const row of rows) matrix.upsert(Number(row.chunk_id), decodeVector(row.vector));
    this.matrix = matrix;
    return matrix;
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1_048_576).toFixed(bytes < 10_485_760 ? 1 : 0);
}
