import { describe, expect, it } from 'vitest';
import { VectorMatrix, type VectorHit } from '../../../src/builtin-plugins/memory/index-store/vector-matrix.js';
import { VectorStore } from '../../../src/builtin-plugins/memory/index-store/vector-store.js';
import { normalized } from '../../../src/builtin-plugins/memory/embeddings/index.js';
import { sqliteMemoryDb } from './memory-test-kit.js';

/** A deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vector(next: () => number, dims: number): Float32Array {
  return Float32Array.from({ length: dims }, () => next() * 2 - 1);
}

/** The reference: every row scored in double precision, best first, ties to the smaller id. */
function naiveTopK(rows: Map<number, Float32Array>, query: Float32Array, k: number): VectorHit[] {
  const q = normalized(query);
  return [...rows]
    .map(([id, v]) => {
      const n = normalized(v);
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let i = 0;
      for (; i + 3 < n.length; i += 4) {
        s0 += n[i]! * q[i]!;
        s1 += n[i + 1]! * q[i + 1]!;
        s2 += n[i + 2]! * q[i + 2]!;
        s3 += n[i + 3]! * q[i + 3]!;
      }
      for (; i < n.length; i++) s0 += n[i]! * q[i]!;
      return { id, similarity: s0 + s1 + s2 + s3 };
    })
    .sort((a, b) => b.similarity - a.similarity || a.id - b.id)
    .slice(0, k);
}

describe('the in-process vector matrix', () => {
  for (const dims of [1536, 37, 3]) {
    it(`finds exactly the top k a double-precision scan finds (${dims} dimensions), through adds, replacements and removals`, () => {
      const next = random(dims);
      const rows = new Map<number, Float32Array>();
      const matrix = new VectorMatrix('0');
      // Grows past its first capacity several times.
      for (let id = 1; id <= 700; id++) {
        const v = vector(next, dims);
        rows.set(id, v);
        expect(matrix.upsert(id, v)).toBe(true);
      }
      for (let id = 1; id <= 700; id += 7) {
        const v = vector(next, dims);
        rows.set(id, v);
        matrix.upsert(id, v);
      }
      for (let id = 2; id <= 700; id += 5) {
        rows.delete(id);
        matrix.remove(id);
      }
      expect(matrix.size).toBe(rows.size);
      for (let i = 0; i < 20; i++) {
        const query = vector(next, dims);
        for (const k of [1, 24, 100]) expect(matrix.topK(query, k)).toEqual(naiveTopK(rows, query, k));
      }
    });
  }

  it('breaks ties by the smaller chunk id whatever the row order, and finds near-duplicates a float32 score cannot tell apart', () => {
    const next = random(5);
    const base = vector(next, 256);
    const matrix = new VectorMatrix('0');
    const rows = new Map<number, Float32Array>();
    // Inserted in descending id order, then the middle one removed: the rows are out of id order.
    for (const id of [90, 70, 50, 30, 10]) {
      matrix.upsert(id, base);
      rows.set(id, base);
    }
    const nudged = Float32Array.from(base, (x, i) => (i === 0 ? x + 1e-6 : x));
    matrix.upsert(60, nudged);
    rows.set(60, nudged);
    matrix.remove(50);
    rows.delete(50);
    for (let id = 100; id < 400; id++) {
      const v = vector(next, 256);
      matrix.upsert(id, v);
      rows.set(id, v);
    }
    expect(matrix.topK(base, 3)).toEqual(naiveTopK(rows, base, 3));
    expect(matrix.topK(base, 3).map((h) => h.id)).toEqual(naiveTopK(rows, base, 3).map((h) => h.id));
  });

  it('refuses a vector of another size, and answers nothing for a query of another size', () => {
    const matrix = new VectorMatrix('0');
    expect(matrix.upsert(1, new Float32Array([1, 0, 0]))).toBe(true);
    expect(matrix.upsert(2, new Float32Array([1, 0]))).toBe(false);
    expect(matrix.topK(new Float32Array([1, 0]), 5)).toEqual([]);
    expect(matrix.topK(new Float32Array([0, 1, 0]), 5)).toEqual([{ id: 1, similarity: 0 }]);
    matrix.clear();
    expect(matrix.size).toBe(0);
  });
});

describe('the vector store keeps its in-process matrix current', () => {
  it('applies its own changes without a reload, and reloads after a rolled-back change or another writer', async () => {
    const sql = await sqliteMemoryDb();
    await sql.run("INSERT INTO memory_files (path, kind, hash, size, mtime_ms, evergreen, file_date, chunking, indexed_at) VALUES ('a.md', 'extra', 'h', 1, 0, 0, NULL, 'c', 0)");
    for (let id = 1; id <= 4; id++) await sql.run('INSERT INTO memory_chunks (id, path, seq, hash, start_line, end_line, text) VALUES (?, ?, ?, ?, 1, 1, ?)', [id, 'a.md', id, `h${id}`, `t${id}`]);
    const store = new VectorStore(sql, 1_048_576);
    await store.open(false);
    const unit = (i: number) => Float32Array.from({ length: 4 }, (_, j) => (j === i ? 1 : 0));
    await sql.transaction((tx) => store.add(tx, [1, 2, 3].map((id) => ({ id, vector: unit(id - 1) })), 'k'));
    expect((await store.search(unit(0), 1)).hits).toEqual([{ id: 1, similarity: 1 }]);

    // Its own write is applied in place: a row deleted behind its back stays visible until a reload.
    await sql.run('DELETE FROM memory_chunk_vectors WHERE chunk_id = 2');
    await sql.transaction((tx) => store.add(tx, [{ id: 4, vector: unit(3) }], 'k'));
    expect((await store.search(unit(3), 1)).hits).toEqual([{ id: 4, similarity: 1 }]);
    expect((await store.search(unit(1), 1)).hits).toEqual([{ id: 2, similarity: 1 }]);

    // A change that is rolled back must not survive in the matrix.
    await expect(
      sql.transaction(async (tx) => {
        await store.removed(tx, [4]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await store.search(unit(3), 1)).hits).toEqual([{ id: 4, similarity: 1 }]);
    // The reload read the table as it is now: chunk 2's vector is gone.
    expect((await store.search(unit(1), 4)).hits.map((h) => h.id)).not.toContain(2);

    // Another writer (another process) bumps the generation: reloaded.
    const other = new VectorStore(sql, 1_048_576);
    await other.open(false);
    await sql.transaction((tx) => other.removed(tx, [1]).then(() => tx.run('DELETE FROM memory_chunk_vectors WHERE chunk_id = 1')));
    expect((await store.search(unit(0), 4)).hits.map((h) => h.id)).not.toContain(1);
  });
});
