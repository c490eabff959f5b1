/**
 * A typed service identifier. Tokens are `Symbol.for(id)` so that two copies of the SDK (a plugin
 * bundling its own, say) still agree on identity; the phantom `T` carries the bound type.
 */
declare const tokenType: unique symbol;
export type Token<T> = symbol & { readonly [tokenType]?: T };

/** The value type a token stands for: `TokenType<typeof Tools>` is `Tool`. */
export type TokenType<K> = K extends Token<infer T> ? T : never;

const TOKEN_ID = /^[a-zA-Z][a-zA-Z0-9_.:/-]*$/;

export function createToken<T>(id: string): Token<T> {
  if (!TOKEN_ID.test(id)) {
    throw new Error(`createToken: invalid id "${id}". Use letters, digits, dots, colons, dashes and slashes, e.g. "acme.search.index".`);
  }
  return Symbol.for(id) as Token<T>;
}

/** The id a token was created with (`createToken('x')` → `'x'`). */
export function tokenId(token: Token<unknown>): string {
  return Symbol.keyFor(token) ?? token.description ?? token.toString();
}
