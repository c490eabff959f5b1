import type { AssembledPrompt, CliIo } from '@nexus/plugin-sdk';

/** Characters as the prompt limits count them (code points). */
function chars(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

export function promptJson(assembled: AssembledPrompt): string {
  return `${JSON.stringify(
    {
      prompt: assembled.text,
      sections: assembled.sections.map((s) => ({ name: s.name, pluginId: s.pluginId, chars: chars(s.text) })),
      failed: assembled.failed,
    },
    null,
    2,
  )}\n`;
}

/** The prompt exactly as sent, then a table of its sections and any that were left out. */
export function reportPrompt(assembled: AssembledPrompt, io: CliIo): void {
  io.stdout(assembled.text === '' ? '(the system prompt is empty)\n' : `${assembled.text}\n`);
  const rows = assembled.sections.map((s) => [s.name, s.pluginId, `${chars(s.text)} chars`] as const);
  const width = (i: 0 | 1) => Math.max(0, ...rows.map((r) => r[i].length));
  const lines = [`\n--- ${assembled.sections.length} section${assembled.sections.length === 1 ? '' : 's'}, ${chars(assembled.text)} chars ---`];
  for (const [name, plugin, size] of rows) lines.push(`  ${name.padEnd(width(0))}  ${plugin.padEnd(width(1))}  ${size}`);
  if (assembled.failed.length > 0) {
    lines.push(`--- ${assembled.failed.length} left out because they failed ---`);
    for (const f of assembled.failed) lines.push(`  ${f.name} (${f.pluginId}): ${f.error}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
}
