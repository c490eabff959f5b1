import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { MemoryPaths } from '../paths/index.js';
import type { FlushRecord, FlushWrite } from './compaction-plan.js';

/** A write the flush turn made (the receipt memory_write returned). */
export interface FlushReceipt {
  readonly path: string;
  readonly target: 'daily' | 'MEMORY.md';
  readonly offset: number;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * The flush's record from its receipts and the bytes now found where each write went (`found`,
 * by receipt index; undefined when the file or range is gone). Pure: the caller reads the files.
 */
export function buildFlushRecord(cycle: number, at: number, receipts: readonly FlushReceipt[], found: readonly (Uint8Array | undefined)[], error?: string): FlushRecord {
  const writes: FlushWrite[] = receipts.map((receipt, i) => {
    const bytes = found[i];
    const confirmed = bytes !== undefined && bytes.byteLength === receipt.bytes && createHash('sha256').update(bytes).digest('hex') === receipt.sha256;
    return { path: receipt.path, target: receipt.target, offset: receipt.offset, bytes: receipt.bytes, sha256: receipt.sha256, confirmed };
  });
  const outcome: FlushRecord['outcome'] = error !== undefined ? 'failed' : writes.length === 0 ? 'nothing' : writes.every((w) => w.confirmed) ? 'written' : 'unconfirmed';
  return { cycle, at, outcome, writes, ...(error !== undefined ? { error } : {}) };
}

/** A cycle whose flush was skipped (read-only workspace), recorded so it is not attempted again. */
export function skippedFlushRecord(cycle: number, at: number, reason: string): FlushRecord {
  return { cycle, at, outcome: 'skipped', writes: [], error: reason };
}

/** Reads back what each receipt says was written, confined to the memory paths, and builds the record. */
export async function confirmFlush(paths: MemoryPaths, cycle: number, at: number, receipts: readonly FlushReceipt[], error?: string): Promise<FlushRecord> {
  const found = await Promise.all(receipts.map((receipt) => readRange(paths, receipt)));
  return buildFlushRecord(cycle, at, receipts, found, error);
}

async function readRange(paths: MemoryPaths, receipt: FlushReceipt): Promise<Uint8Array | undefined> {
  try {
    const file = await paths.resolve(receipt.path, true);
    const handle = await open(file.absolutePath, 'r');
    try {
      const buffer = Buffer.alloc(receipt.bytes);
      const { bytesRead } = await handle.read(buffer, 0, receipt.bytes, receipt.offset);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
