import type { Compilable, CompiledQuery } from 'kysely';

const SENTINEL = '\u0000nexus-param:';

/**
 * A query kysely builds and compiles once, then runs many times with new values: for hot paths
 * (appending a message), where building and compiling the query again on every call would cost
 * more than running it. `build` receives a stand-in for each named value; each must end up as a
 * bound parameter (kysely binds every value), and each is found again by name at run time.
 */
export class QueryTemplate<P extends string> {
  private readonly slots: readonly P[];

  private constructor(
    private readonly compiled: CompiledQuery,
    names: readonly P[],
  ) {
    const byValue = new Map(names.map((name) => [`${SENTINEL}${name}`, name]));
    this.slots = compiled.parameters.map((value, index) => {
      const name = typeof value === 'string' ? byValue.get(value) : undefined;
      if (name === undefined) throw new Error(`QueryTemplate: parameter ${index + 1} of "${compiled.sql}" is not one of the named values; pass every value through param()`);
      return name;
    });
    const missing = names.filter((name) => !this.slots.includes(name));
    if (missing.length > 0) throw new Error(`QueryTemplate: ${missing.join(', ')} never reached the SQL of "${compiled.sql}"`);
  }

  /** `param(name)` stands in for a value; it is typed `never` so it fits any column. */
  static build<P extends string>(names: readonly P[], build: (param: (name: P) => never) => Compilable): QueryTemplate<P> {
    return new QueryTemplate(build((name) => `${SENTINEL}${name}` as never).compile(), names);
  }

  get sql(): string {
    return this.compiled.sql;
  }

  /** The compiled query with these values bound. */
  bind(values: Readonly<Record<P, unknown>>): CompiledQuery {
    return { ...this.compiled, parameters: this.slots.map((name) => values[name]) };
  }
}
