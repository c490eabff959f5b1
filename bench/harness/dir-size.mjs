// Apparent size of a folder tree in bytes (the sum of file sizes, like `du --apparent-size`).
// Symlinks count as links, not as what they point to: npm links workspace packages into
// node_modules, and those are the repo's own sources, not installed dependencies.
import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export function dirSize(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(path);
    else total += lstatSync(path).size;
  }
  return total;
}
