import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A digest of an installed package folder as it is on disk: every file's relative path, whether
 * it is executable and its content, every symlink's target, in a fixed order. The tarball's own
 * integrity cannot be checked again once it is unpacked; this can, by `nexus plugins verify`.
 */
export function treeDigest(dir: string): string {
  const hash = createHash('sha512');
  for (const line of treeLines(dir, '')) hash.update(`${line}\n`);
  return `sha512-${hash.digest('base64')}`;
}

function treeLines(dir: string, prefix: string): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const relative = `${prefix}${name}`;
    const stats = lstatSync(path);
    if (stats.isSymbolicLink()) lines.push(`link ${relative} -> ${readlinkSync(path)}`);
    else if (stats.isDirectory()) lines.push(`dir ${relative}`, ...treeLines(path, `${relative}/`));
    else if (stats.isFile()) lines.push(`file ${relative} ${stats.mode & 0o111 ? 'x' : '-'} ${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    else lines.push(`other ${relative}`);
  }
  return lines;
}
