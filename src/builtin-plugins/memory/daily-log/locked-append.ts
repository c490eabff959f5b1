import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withFileLock, type FileLockOptions } from './file-lock.js';

/** What one append wrote, so a caller can later check that it is still in the file. */
export interface AppendReceipt {
  /** Absolute path. */
  readonly path: string;
  /** Byte offset where the written text starts. */
  readonly offset: number;
  readonly bytes: number;
  /** SHA-256 (hex) of the bytes written. */
  readonly sha256: string;
}

/**
 * Appends under the file's lock (`.<name>.lock` beside it) in one write to a descriptor opened
 * with O_APPEND, so concurrent writers, in this process or others, never interleave or lose an
 * entry. `build` sees whether the file is empty (to write a heading first) and whether it ends
 * with a newline (so an entry never glues onto a line someone left open).
 */
export async function appendLocked(path: string, build: (file: { readonly empty: boolean }) => string, lock: FileLockOptions = {}): Promise<AppendReceipt> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  return withFileLock(
    join(dirname(path), `.${basename(path)}.lock`),
    async () => {
      const handle = await open(path, 'a+', 0o600);
      try {
        const { size } = await handle.stat();
        let prefix = '';
        if (size > 0) {
          const last = Buffer.alloc(1);
          await handle.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
        const body = Buffer.from(prefix + build({ empty: size === 0 }), 'utf8');
        await handle.write(body, 0, body.length, null);
        return { path, offset: size + Buffer.byteLength(prefix), bytes: body.length - Buffer.byteLength(prefix), sha256: createHash('sha256').update(body.subarray(Buffer.byteLength(prefix))).digest('hex') };
      } finally {
        await handle.close();
      }
    },
    lock,
  );
}
