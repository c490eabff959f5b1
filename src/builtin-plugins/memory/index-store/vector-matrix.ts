import { normalized } from '../embeddings/index.js';
import { createScoresKernel, KERNEL_LANES, type ScoresKernel } from './simd-scores-kernel.js';

export interface VectorHit {
  readonly id: number;
  /** Cosine similarity, -1…1. */
  readonly similarity: number;
}

const PAGE = 65_536;

/**
 * Every chunk vector, normalised when added (so cosine is a dot product), in one contiguous
 * float32 matrix: rows zero-padded to a multiple of 16 values, held in WebAssembly memory when
 * SIMD is available (else a plain Float32Array). Rows are added, replaced and removed in place,
 * so a re-index does not reload the whole corpus.
 *
 * `topK` is exact: the SIMD kernel scores every row in float32, then the rows whose float32 score
 * could still reach the top `k` (within a proven error bound) are scored again in double
 * precision, as a JavaScript loop would score every row. Ties go to the smaller chunk id. So the
 * hits are the same with or without the kernel, whatever the row order.
 */
export class VectorMatrix {
  /** The vectors generation (memory_meta) these rows match. */
  generation: string;
  private dims = 0;
  private stride = 0;
  private rows = 0;
  private capacity = 0;
  private ids: number[] = [];
  private readonly rowOf = new Map<number, number>();
  private kernel: ScoresKernel | undefined;
  private plain: Float32Array = new Float32Array(0);
  private view: { buffer: ArrayBufferLike; values: Float32Array; query: Float32Array } | undefined;

  constructor(generation: string) {
    this.generation = generation;
  }

  get size(): number {
    return this.rows;
  }

  get dimensions(): number {
    return this.dims;
  }

  /** Bytes the rows take (padded). */
  get byteLength(): number {
    return this.rows * this.stride * 4;
  }

  /** Adds or replaces a chunk's vector; false when its size differs from the rows' (the caller reloads). */
  upsert(id: number, vector: Float32Array): boolean {
    if (vector.length === 0) return false;
    if (this.rows === 0 && this.dims !== vector.length) this.reset(vector.length);
    if (vector.length !== this.dims) return false;
    let row = this.rowOf.get(id);
    if (row === undefined) {
      if (this.rows === this.capacity) this.grow(this.rows + 1);
      row = this.rows++;
      this.ids[row] = id;
      this.rowOf.set(id, row);
    }
    this.values().set(normalized(vector), row * this.stride);
    return true;
  }

  /** Drops a chunk's row, moving the last row into its place. */
  remove(id: number): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    const last = this.rows - 1;
    const values = this.values();
    if (row !== last) {
      values.copyWithin(row * this.stride, last * this.stride, (last + 1) * this.stride);
      const moved = this.ids[last]!;
      this.ids[row] = moved;
      this.rowOf.set(moved, row);
    }
    values.fill(0, last * this.stride, (last + 1) * this.stride);
    this.ids.length = last;
    this.rowOf.delete(id);
    this.rows = last;
  }

  clear(): void {
    this.reset(this.dims);
  }

  /** The `k` rows most similar to `query`, best first. */
  topK(query: Float32Array, k: number): VectorHit[] {
    if (this.rows === 0 || query.length !== this.dims || k < 1) return [];
    const q = normalized(query);
    const values = this.values();
    const top = new TopHits(Math.min(k, this.rows));
    if (!this.kernel) {
      for (let row = 0; row < this.rows; row++) top.offer(this.ids[row]!, dotAt(values, row * this.stride, q, this.dims));
      return top.hits;
    }
    const view = this.view!;
    view.query.set(q);
    const matrixOffset = this.stride * 4;
    const scoresOffset = matrixOffset + this.capacity * this.stride * 4;
    this.kernel.scores(matrixOffset, 0, this.stride, this.rows, scoresOffset);
    const scores = new Float32Array(view.buffer, scoresOffset, this.rows);
    const threshold = kthLargest(scores, top.capacity) - 2 * float32ScoreError(this.stride);
    for (let row = 0; row < this.rows; row++) {
      if (scores[row]! >= threshold) top.offer(this.ids[row]!, dotAt(values, row * this.stride, q, this.dims));
    }
    return top.hits;
  }

  private reset(dims: number): void {
    this.dims = dims;
    this.stride = Math.ceil(dims / KERNEL_LANES) * KERNEL_LANES;
    this.rows = 0;
    this.capacity = 0;
    this.ids = [];
    this.rowOf.clear();
    this.kernel = undefined;
    this.plain = new Float32Array(0);
    this.view = undefined;
  }

  /** Room for at least `needed` rows, growing by half again so appends stay amortised. */
  private grow(needed: number): void {
    const capacity = Math.max(needed, Math.ceil(this.capacity * 1.5), 64);
    // Layout: the query (one row), the matrix, the float32 scores (one per row).
    const bytes = (this.stride + capacity * this.stride + capacity) * 4;
    if (!this.kernel && this.capacity === 0) this.kernel = createScoresKernel(Math.ceil(bytes / PAGE));
    if (this.kernel) {
      const pages = Math.ceil(bytes / PAGE) - this.kernel.memory.buffer.byteLength / PAGE;
      try {
        if (pages > 0) this.kernel.memory.grow(pages);
      } catch (error) {
        throw new Error(`memory search cannot hold ${capacity} vectors of ${this.dims} dimensions in process (${Math.round(bytes / 1_048_576)} MB): ${(error as Error).message}; lower memory.search.in_process_max_mb so sqlite-vec answers, or use fewer dimensions`, { cause: error });
      }
    } else {
      const plain = new Float32Array(capacity * this.stride);
      plain.set(this.plain.subarray(0, this.rows * this.stride));
      this.plain = plain;
    }
    this.capacity = capacity;
    this.view = undefined;
  }

  /** The matrix values (views are re-made after WebAssembly memory grows, which detaches the old buffer). */
  private values(): Float32Array {
    if (!this.kernel) return this.plain;
    const buffer = this.kernel.memory.buffer;
    let view = this.view;
    if (view?.buffer !== buffer) {
      view = { buffer, query: new Float32Array(buffer, 0, this.dims), values: new Float32Array(buffer, this.stride * 4, this.capacity * this.stride) };
      this.view = view;
    }
    return view.values;
  }
}

/**
 * How far a float32 kernel score can be from the double-precision dot product of the same
 * float32 values, for unit vectors: each lane sums stride/16 products, then 6 additions combine
 * the lanes, so the rounding error is below (stride/16 + 7)·2⁻²⁴·Σ|aᵢqᵢ| ≤ (stride/16 + 7)·2⁻²⁴
 * (Cauchy–Schwarz; normalised float32 vectors are within 2⁻¹⁶ of length 1). `stride + 64` is a
 * wide margin over that, covering the double-precision loop's own error as well.
 */
function float32ScoreError(stride: number): number {
  return (stride + 64) * 2 ** -24;
}

/** The `k`-th largest of `scores` (k ≤ scores.length); NaN never counts. */
function kthLargest(scores: Float32Array, k: number): number {
  const best = new Float64Array(k).fill(-Infinity);
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    if (!(s > best[k - 1]!)) continue;
    let at = k - 1;
    while (at > 0 && best[at - 1]! < s) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = s;
  }
  return best[k - 1]!;
}

/** The best `capacity` hits offered, by similarity then smaller id. */
class TopHits {
  readonly hits: VectorHit[] = [];

  constructor(readonly capacity: number) {}

  offer(id: number, similarity: number): void {
    if (Number.isNaN(similarity)) return;
    const hits = this.hits;
    if (hits.length === this.capacity && !better(id, similarity, hits[hits.length - 1]!)) return;
    let at = hits.length;
    while (at > 0 && better(id, similarity, hits[at - 1]!)) at--;
    hits.splice(at, 0, { id, similarity });
    if (hits.length > this.capacity) hits.pop();
  }
}

function better(id: number, similarity: number, than: VectorHit): boolean {
  return similarity > than.similarity || (similarity === than.similarity && id < than.id);
}

/** `values[offset…offset+dims)` · `q` in double precision, four lanes at a time (about twice as fast as one in V8). */
function dotAt(values: Float32Array, offset: number, q: Float32Array, dims: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dims; i += 4) {
    const o = offset + i;
    s0 += values[o]! * q[i]!;
    s1 += values[o + 1]! * q[i + 1]!;
    s2 += values[o + 2]! * q[i + 2]!;
    s3 += values[o + 3]! * q[i + 3]!;
  }
  for (; i < dims; i++) s0 += values[offset + i]! * q[i]!;
  return s0 + s1 + s2 + s3;
}
