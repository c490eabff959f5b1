// Module resolution hooks that hand plugins the host's bundled copies of the shared packages.
// Standalone on purpose: with module.register (Node 20) they run on the loader's own thread, so
// they import nothing of the host. Where Node has module.registerHooks (22.15 and later), the
// module loader uses `toHostCopy` in this thread instead, and no loader thread starts.
//
// The host bundles the packages it shares with plugins (inversify, its parts, reflect-metadata).
// A plugin still imports them by name, and Node resolves that to the copy installed beside the
// host; these hooks hand the plugin the host's bundled module instead, so host and plugins keep
// one copy of each.

export interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}

/** `result`, or the host's bundled copy when `result` is an installed shared package's entry. */
export function toHostCopy(result: ResolveResult, redirects: ReadonlyMap<string, string>): ResolveResult {
  const hostUrl = redirects.get(result.url);
  return hostUrl ? { url: hostUrl, format: 'module', shortCircuit: true } : result;
}

/** An installed package's entry file URL → the URL of the host's bundled module for it. */
// Set once by Node's `initialize` call; the hooks API has no other place for it.
// eslint-disable-next-line no-restricted-syntax
let redirects = new Map<string, string>();

export function initialize(data: { readonly redirects: Readonly<Record<string, string>> }): void {
  redirects = new Map(Object.entries(data.redirects));
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  return toHostCopy(await nextResolve(specifier, context), redirects);
}
