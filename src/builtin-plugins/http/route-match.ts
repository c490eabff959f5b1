/** A path matched to the prefix that serves it. */
export interface RouteMatch {
  /** The contribution name, exactly as declared. */
  readonly name: string;
  readonly prefix: string;
  /** The rest of the path: `''` or starting with `/`. */
  readonly subpath: string;
}

/**
 * The longest declared prefix that `path` lies under on a segment boundary: `/metrics` serves
 * `/metrics` and `/metrics/x`, never `/metricsfoo`. No prefix serves everything, so an unknown
 * path matches nothing.
 */
export function matchRoute(path: string, prefixes: readonly string[]): RouteMatch | undefined {
  let best: { name: string; prefix: string } | undefined;
  for (const name of prefixes) {
    // A trailing slash in a declaration would otherwise demand a double slash in the path.
    const prefix = name.length > 1 && name.endsWith('/') ? name.slice(0, -1) : name;
    const under = path === prefix || path.startsWith(`${prefix}/`);
    if (under && (best === undefined || prefix.length > best.prefix.length)) best = { name, prefix };
  }
  return best && { ...best, subpath: path.slice(best.prefix.length) };
}
