import type { Compilable, CompiledQuery } from 'kysely';

const SENTINEL = '\u0000nexus-param:';

/**
 * A query kysely builds and compiles once, then runs many times with new values: for hot paths
 * (appending a message), where building and compiling the query again on every call would cost
 * more than running it. `build` receives a stand-in for each named value; each must end up as a
 * bound parameter (kysely binds every value), and each is found again by name at run time.
 *
 * The query is built on first use, not when the store is made: a store makes its templates when
 * the storage plugin starts, and kysely's first query builds cost milliseconds of a cold start.
 */
export class QueryTemplate<P extends string> {
  private compiled: { readonly query: CompiledQuery; readonly slots: readonly P[] } | undefined;

  private constructor(
    private readonly names: readonly P[],
    private readonly build: (param: (name: P) => never) => Compilable,
  ) {}

  /** `param(name)` stands in for a value; it is typed `never` so it fits any column. */
  static build<P extends string>(names: readonly P[], build: (param: (name: P) => never) => Compilable): QueryTemplate<P> {
    return new QueryTemplate(names, build);
  }

  get sql(): string {
    return this.compile().query.sql;
  }

  /** The compiled query with these values bound. */
  bind(values: Readonly<Record<P, unknown>>): CompiledQuery {
    const { query, slots } = this.compile();
    return { ...query, parameters: slots.map((name) => values[name]) };
  }

  private compile(): { readonly query: CompiledQuery; readonly slots: readonly P[] } {
    if (this.compiled) return this.compiled;
    const query = this.build((name) => `${SENTINEL}${name}` as never).compile();
    const byValue = new Map(this.names.map((name) => [`${SENTINEL}${name}`, name]));
    const slots = query.parameters.map((value, index) => {
      const name = typeof value === 'string' ? byValue.get(value) : undefined;
      if (name === undefined) throw new Error(`QueryTemplate: parameter ${index + 1} of "${query.sql}" is not one of the named values; pass every value through param()`);
      return name;
    });
    const missing = this.names.filter((name) => !slots.includes(name));
    if (missing.length > 0) throw new Error(`QueryTemplate: ${missing.join(', ')} never reached the SQL of "${query.sql}"`);
    this.compiled = { query, slots };
    return this.compiled;
  }
}
