import type { PluginNames } from './names.js';

/** What one kind adds to the files every plugin gets. */
export interface KindTemplate {
  /** One line for the README and `--help`. */
  readonly summary: string;
  /** The manifest's `contributes`. */
  readonly contributes: (n: PluginNames) => Record<string, unknown>;
  /** The manifest's `configSchema`, repeated in the entry as a literal (the test keeps them equal). */
  readonly configSchema?: Record<string, unknown>;
  /** Sensitive services the plugin resolves (`permissions`). */
  readonly permissions?: readonly string[];
  /** src/index.ts */
  readonly entry: (n: PluginNames) => string;
  /** test/<short>.test.mjs, run with `node --test` against the build. */
  readonly test: (n: PluginNames) => string;
  /** README paragraphs on what the plugin does and how to try it. */
  readonly readme: (n: PluginNames) => string;
}

/** The configSchema as TypeScript source (the manifest holds the same object as JSON). */
export function schemaLiteral(schema: Record<string, unknown>): string {
  return JSON.stringify(schema, null, 2).replace(/"([A-Za-z_$][\w$]*)":/g, '$1:').replaceAll('"', "'");
}
