// Size of a folder tree: `bytes` is the sum of file sizes (like `du --apparent-size`, and
// independent of the filesystem), `diskBytes` what is allocated for them (like `du`, larger
// for many small files). Symlinks count as links, not as what they point to: npm links
// workspace packages into node_modules, and those are the repo's own sources.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function dirSize(dir) {
  let bytes = 0;
  let diskBytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const sub = dirSize(path);
      bytes += sub.bytes;
      diskBytes += sub.diskBytes;
    } else {
      const stats = lstatSync(path);
      bytes += stats.size;
      diskBytes += stats.blocks * 512;
    }
  }
  return { bytes, diskBytes };
}
