import type { CountedMessage } from './token-budget.js';

/** The summary that stands in for compacted messages, stored with the session (`memory_compaction.summary`). */
export interface StoredSummary {
  readonly text: string;
  /** The last message it covers: later ones are sent as they are. */
  readonly throughId: string;
  readonly throughAt: number;
  /** Messages it stands for, over every compaction so far. */
  readonly messages: number;
}

export interface SummaryInput {
  readonly cycle: number;
  readonly at: string;
  readonly previous?: StoredSummary;
  readonly older: readonly (CountedMessage & { readonly id: string; readonly createdAt: number })[];
  /** Files the cycle's flush wrote to, to point the model at them. */
  readonly savedTo: readonly string[];
  /** Longest summary, in characters. */
  readonly maxChars: number;
}

/** Characters of one message in the summary. */
const LINE_CHARS = 240;

/**
 * An extractive summary: what each compacted message began with, newest kept when the budget
 * runs out, after the previous summary and a pointer to what the flush saved. No model call: the
 * flush turn before it already asked the model to save what matters, and this stays exact about
 * who said what. The originals stay in storage.
 */
export function buildSummary(input: SummaryInput): StoredSummary {
  const last = input.older.at(-1)!;
  const count = (input.previous?.messages ?? 0) + input.older.length;
  const head = `[Summary of ${count} earlier message${count === 1 ? '' : 's'} of this conversation, compacted (cycle ${input.cycle}, ${input.at}); the originals are kept in storage.]`;
  const saved = input.savedTo.length > 0 ? `Saved to memory before compacting: ${input.savedTo.join(', ')} (memory_get reads them).` : undefined;
  const lines = input.older
    .filter((m) => (m.role === 'user' || m.role === 'assistant') && m.content.trim() !== '')
    .map((m) => `- ${m.role}: ${oneLine(m.content)}`);
  const fixed = [head, ...(saved ? [saved] : [])];
  const previous = input.previous ? [`Before that: ${oneLine(stripHead(input.previous.text), Math.floor(input.maxChars / 3))}`] : [];
  let budget = input.maxChars - [...fixed, ...previous].join('\n').length;
  const kept: string[] = [];
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.length + 1 > budget) {
      kept.unshift(`- [${i + 1} earlier message${i === 0 ? '' : 's'} not shown]`);
      break;
    }
    kept.unshift(line);
    budget -= line.length + 1;
  }
  return { text: [...fixed, ...previous, ...kept].join('\n'), throughId: last.id, throughAt: last.createdAt, messages: count };
}

function oneLine(text: string, max = LINE_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function stripHead(text: string): string {
  return text.replace(/^\[Summary of [^\]]*\]\n?/, '');
}
