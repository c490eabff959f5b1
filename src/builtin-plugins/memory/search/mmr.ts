/** A ranked candidate for diversification: its score and the words it holds. */
export interface MmrCandidate {
  readonly score: number;
  readonly terms: ReadonlySet<string>;
}

/** Words of a text, for telling how much two results say the same thing. */
export function termSet(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}_]{2,}/gu) ?? []);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const term of small) if (large.has(term)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Maximal marginal relevance: picks `count` candidates one at a time, each maximising
 * `lambda · relevance − (1 − lambda) · (its greatest word overlap with those already picked)`,
 * relevance being the score relative to the best. Returns indexes into `candidates`, in pick order.
 */
export function mmrSelect(candidates: readonly MmrCandidate[], count: number, lambda: number): number[] {
  const best = Math.max(...candidates.map((c) => c.score), Number.MIN_VALUE);
  const picked: number[] = [];
  const left = new Set(candidates.map((_, i) => i));
  while (picked.length < count && left.size > 0) {
    let choice = -1;
    let choiceValue = -Infinity;
    for (const i of left) {
      const candidate = candidates[i]!;
      const overlap = picked.length === 0 ? 0 : Math.max(...picked.map((j) => jaccard(candidate.terms, candidates[j]!.terms)));
      const value = lambda * (candidate.score / best) - (1 - lambda) * overlap;
      if (value > choiceValue) {
        choice = i;
        choiceValue = value;
      }
    }
    picked.push(choice);
    left.delete(choice);
  }
  return picked;
}
