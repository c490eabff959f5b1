import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/fixtures.js';

/**
 * A folder of stand-ins for systemctl, loginctl, journalctl and launchctl that record every call
 * (one line: tool and arguments) and print what the test set for that tool.
 */
export function fakeTools(tools: readonly string[], outputs: Readonly<Record<string, string>> = {}, failing: readonly string[] = []) {
  const bin = tempDir('nexus-fake-bin-');
  const log = join(bin, 'calls.log');
  writeFileSync(log, '');
  for (const tool of tools) {
    const script = [
      '#!/bin/sh',
      `echo "${tool} $*" >> '${log}'`,
      outputs[tool] !== undefined ? `printf '%s\\n' '${outputs[tool]}'` : '',
      failing.includes(tool) ? 'echo "Failed to connect to bus: No medium found" >&2; exit 1' : 'exit 0',
      '',
    ].join('\n');
    writeFileSync(join(bin, tool), script);
    chmodSync(join(bin, tool), 0o755);
  }
  return { bin, calls: () => readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') };
}

export function emptyBin(): string {
  const bin = tempDir('nexus-empty-bin-');
  mkdirSync(bin, { recursive: true });
  return bin;
}
