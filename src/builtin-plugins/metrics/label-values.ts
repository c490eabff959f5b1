/** The value a label takes for anything outside its bound. */
export const OTHER = 'other';

/**
 * The values one label may take. Label values come from callers (a model name in a request, a
 * tool name the model made up, a channel a plugin reports), and every distinct value is a new
 * series in every metric that carries the label: 200 agents with their own model names took
 * `/metrics` from 12 KB to 404 KB. So each label exports its known values (configured providers
 * and models, the enumerated outcomes and reasons), plus the first `spare` other values it sees
 * (a provider's default model, a channel no config names), and `other` for everything after.
 * Memory and the exposition stay bounded however long the process runs.
 */
export class LabelValues {
  private readonly known: Set<string>;
  private readonly admitted = new Set<string>();

  constructor(
    private readonly spare: number,
    known: Iterable<string> = [],
  ) {
    this.known = new Set(known);
  }

  /** Adds values that are always exported as themselves (configuration read after start). */
  know(values: Iterable<string>): void {
    for (const value of values) this.known.add(value);
  }

  /** `value` itself while it is within the bound, otherwise `other`. */
  of(value: string): string {
    if (this.known.has(value) || this.admitted.has(value)) return value;
    if (this.admitted.size < this.spare) {
      this.admitted.add(value);
      return value;
    }
    return OTHER;
  }
}
