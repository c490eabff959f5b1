// Module resolution hooks, run by Node's loader (module.register). Standalone on purpose: in
// Node 20 they run on the loader's own thread, so they import nothing of the host.
//
// The host bundles the packages it shares with plugins (inversify, its parts, reflect-metadata).
// A plugin still imports them by name, and Node resolves that to the copy installed beside the
// host; these hooks hand the plugin the host's bundled module instead, so host and plugins keep
// one copy of each.

/** An installed package's entry file URL → the URL of the host's bundled module for it. */
// Set once by Node's `initialize` call; the hooks API has no other place for it.
// eslint-disable-next-line no-restricted-syntax
let redirects = new Map<string, string>();

export function initialize(data: { readonly redirects: Readonly<Record<string, string>> }): void {
  redirects = new Map(Object.entries(data.redirects));
}

interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}

export async function resolve(
  specifier: string,
  context: unknown,
  nextResolve: (specifier: string, context: unknown) => Promise<ResolveResult>,
): Promise<ResolveResult> {
  const result = await nextResolve(specifier, context);
  const hostUrl = redirects.get(result.url);
  return hostUrl ? { url: hostUrl, format: 'module', shortCircuit: true } : result;
}
