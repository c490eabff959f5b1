import type { Command } from 'commander';
import { bashScript } from './bash.js';
import { completionTree } from './command-tree.js';
import { fishScript } from './fish.js';
import { zshScript } from './zsh.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The completion script for `shell`, covering every command the program holds. */
export function completionScript(shell: Shell, program: Command): string {
  const tree = completionTree(program);
  return shell === 'bash' ? bashScript(tree) : shell === 'zsh' ? zshScript(tree) : fishScript(tree);
}
