/**
 * A WebAssembly kernel (128-bit SIMD) that scores every row of a float32 matrix against a query:
 * `out[r] = Σ matrix[r·stride + i] · query[i]`, in float32, four vector accumulators (16 lanes).
 * In process this is several times faster than a JavaScript loop, and far faster than sqlite-vec's
 * scan. float32 sums are not the double-precision scores search ranks by, so callers use these
 * only to find candidates, within a proven error bound, and score those again exactly.
 *
 * The module is encoded here rather than shipped as a binary, so it is reviewable: one function,
 * `scores(matrix, query, stride, rows, out)`, byte offsets into the imported memory, `stride` a
 * positive multiple of 16 (rows are zero-padded to it).
 */

/** Float32 values a row is padded to a multiple of: the kernel reads 16 per step. */
export const KERNEL_LANES = 16;

/** The part of WebAssembly.Memory used here (the project's TypeScript libraries do not declare the WebAssembly API). */
export interface KernelMemory {
  readonly buffer: ArrayBuffer;
  /** Adds 64 KiB pages; detaches the old `buffer`. */
  grow(pages: number): number;
}

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => KernelMemory;
}

export interface ScoresKernel {
  readonly memory: KernelMemory;
  /** All byte offsets 16-aligned; `stride` a multiple of KERNEL_LANES. */
  scores(matrixOffset: number, queryOffset: number, stride: number, rows: number, outOffset: number): void;
}

const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, depth],
  brIf: (depth: number) => [0x0d, depth],
  get: (local: number) => [0x20, local],
  set: (local: number) => [0x21, local],
  tee: (local: number) => [0x22, local],
  i32: (value: number) => [0x41, ...signedLeb(value)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Shl: [0x74],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  f32Add: [0x92],
  /** f32.store, alignment 4 bytes (2^2). */
  f32Store: [0x38, 2, 0],
  /** v128.load, alignment 16 bytes (2^4), at `offset` bytes past the address. */
  v128Load: (offset: number) => [0xfd, 0x00, 4, ...unsignedLeb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4ExtractLane: (lane: number) => [0xfd, 0x1f, lane],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
};

// Parameters 0…4: matrix, query, stride, rows, out (matrix, rows and out are advanced in place).
const [MATRIX, QUERY, STRIDE, ROWS, OUT] = [0, 1, 2, 3, 4];
// Locals: the byte position within a row, four accumulators, the bytes per row.
const [AT, ACC, ROW_BYTES] = [5, 6, 10];

/** acc[n] += matrix[row + at + 16n…] · query[at + 16n…], for n = 0…3. */
function multiplyAccumulate(n: number): number[] {
  return [...op.get(ACC + n), ...op.get(MATRIX), ...op.get(AT), ...op.i32Add, ...op.v128Load(16 * n), ...op.get(QUERY), ...op.get(AT), ...op.i32Add, ...op.v128Load(16 * n), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(ACC + n)];
}

function scoresBody(): number[] {
  const lanes = [0, 1, 2, 3];
  const sum = [...op.get(ACC), ...op.get(ACC + 1), ...op.f32x4Add, ...op.get(ACC + 2), ...op.f32x4Add, ...op.get(ACC + 3), ...op.f32x4Add, ...op.set(ACC)];
  const horizontal = [...op.get(ACC), ...op.f32x4ExtractLane(0), ...[1, 2, 3].flatMap((lane) => [...op.get(ACC), ...op.f32x4ExtractLane(lane), ...op.f32Add])];
  const code = [
    ...[...op.get(STRIDE), ...op.i32(2), ...op.i32Shl, ...op.set(ROW_BYTES)],
    ...op.block,
    ...op.loop,
    ...[...op.get(ROWS), ...op.i32Eqz, ...op.brIf(1)],
    ...lanes.flatMap((n) => [...op.v128Zero, ...op.set(ACC + n)]),
    ...[...op.i32(0), ...op.set(AT)],
    ...op.loop,
    ...lanes.flatMap(multiplyAccumulate),
    ...[...op.get(AT), ...op.i32(64), ...op.i32Add, ...op.tee(AT), ...op.get(ROW_BYTES), ...op.i32LtU, ...op.brIf(0)],
    ...op.end,
    ...sum,
    ...[...op.get(OUT), ...horizontal, ...op.f32Store],
    ...[...op.get(MATRIX), ...op.get(ROW_BYTES), ...op.i32Add, ...op.set(MATRIX)],
    ...[...op.get(OUT), ...op.i32(4), ...op.i32Add, ...op.set(OUT)],
    ...[...op.get(ROWS), ...op.i32(1), ...op.i32Sub, ...op.set(ROWS)],
    ...op.br(0),
    ...op.end,
    ...op.end,
    ...op.end,
  ];
  const locals = [3, 1, I32, 4, V128, 1, I32];
  return withLength([...locals, ...code]);
}

function moduleBytes(): Uint8Array {
  const type = [1, 0x60, 5, I32, I32, I32, I32, I32, 0];
  const imports = [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1];
  const functions = [1, 0];
  const exports = [1, ...name('scores'), 0x00, 0];
  const code = [1, ...scoresBody()];
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...section(1, type), ...section(2, imports), ...section(3, functions), ...section(7, exports), ...section(10, code)]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...withLength(content)];
}

function withLength(content: number[]): number[] {
  return [...unsignedLeb(content.length), ...content];
}

function name(text: string): number[] {
  return withLength([...Buffer.from(text, 'utf8')]);
}

function unsignedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

function signedLeb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/**
 * A kernel over a fresh memory of `pages` 64 KiB pages; undefined where WebAssembly SIMD is not
 * available (the caller scores in JavaScript then). Compiling the few hundred bytes takes well
 * under a millisecond, and a matrix makes one only when it is loaded or cleared, so nothing is
 * cached.
 */
export function createScoresKernel(pages: number): ScoresKernel | undefined {
  const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  const bytes = moduleBytes();
  if (!wasm?.validate(bytes)) return undefined;
  const memory = new wasm.Memory({ initial: Math.max(1, pages) });
  const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  const scores = instance.exports['scores'] as ScoresKernel['scores'];
  return { memory, scores };
}
