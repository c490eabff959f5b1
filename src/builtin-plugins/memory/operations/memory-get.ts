import { readFile } from 'node:fs/promises';
import { MemoryPathError, type MemoryPaths } from '../paths/index.js';
import type { MemoryAccess } from './memory-access.js';

export interface GetInput {
  readonly path: string;
  /** First line, 1-based (default 1). */
  readonly from?: number;
  /** How many lines (default: to the end, within the limits below). */
  readonly lines?: number;
}

export interface GetResult {
  readonly path: string;
  readonly from: number;
  /** Last line returned (from − 1 when none). */
  readonly to: number;
  readonly total_lines: number;
  readonly text: string;
  /** Where to continue when the range was cut by the limits. */
  readonly next_from?: number;
}

/** Most lines and characters one call returns; `next_from` says where the rest starts. */
export const GET_MAX_LINES = 400;
export const GET_MAX_CHARS = 24_000;

/** Reads a cited range of a memory file, confined to the memory paths. */
export async function getMemory(paths: MemoryPaths, input: GetInput, access: MemoryAccess): Promise<GetResult> {
  const file = await paths.resolve(input?.path, true);
  if (file.kind === 'memory' && !access.private) {
    throw new MemoryPathError('private', `${file.path} is long-term memory about the user and is not read in group chats`);
  }
  const from = wholeNumber(input.from, 1, 'from');
  const wanted = input.lines === undefined ? GET_MAX_LINES : wholeNumber(input.lines, 1, 'lines');
  const all = (await readFile(file.absolutePath, 'utf8')).replace(/\r\n?/g, '\n').split('\n');
  if (all.at(-1) === '') all.pop();
  const lines: string[] = [];
  let chars = 0;
  for (let i = from - 1; i < all.length && lines.length < Math.min(wanted, GET_MAX_LINES); i++) {
    const line = all[i]!;
    if (lines.length > 0 && chars + line.length + 1 > GET_MAX_CHARS) break;
    lines.push(line.length > GET_MAX_CHARS ? `${line.slice(0, GET_MAX_CHARS)}…` : line);
    chars += line.length + 1;
  }
  const to = from - 1 + lines.length;
  const requestedEnd = input.lines === undefined ? all.length : Math.min(all.length, from - 1 + wanted);
  return { path: file.path, from, to, total_lines: all.length, text: lines.join('\n'), ...(to < requestedEnd ? { next_from: to + 1 } : {}) };
}

function wholeNumber(value: unknown, min: number, name: string): number {
  if (value === undefined) return min;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new MemoryPathError('invalid', `${name} must be a whole number of at least ${min}, not ${JSON.stringify(value)}`);
  return value;
}
