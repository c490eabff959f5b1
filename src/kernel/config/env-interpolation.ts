import type { Document, Node, Scalar } from 'yaml';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { yamlModule } from '../lazy/index.js';
import { positionOfOffset } from '../schema/index.js';

// ${NAME} or ${NAME:-default}; $${ is a literal "${".
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string scalar of the document, in place, so
 * positions stay intact for later errors. A value that is a single unquoted reference to a number
 * or boolean is retyped, so `port: ${PORT}` becomes a number as it would have been written literally.
 * A variable that is unset (or empty) with no default is an error naming it and where it is used.
 */
export function interpolateEnv(doc: Document, env: NodeJS.ProcessEnv, file: string, text: string): Diagnostic[] {
  const yaml = yamlModule();
  const problems: Diagnostic[] = [];
  yaml.visit(doc, {
    Scalar(_key, node: Scalar, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      // Values only: a key is part of the file's structure, not a setting.
      const parent = path[path.length - 1];
      if (yaml.isPair(parent) && parent.key === node) return;
      const original = node.value;
      let missing = false;
      const replaced = original.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
        if (match === '$${') return '${';
        const value = env[name!];
        if (value !== undefined && value !== '') return value;
        if (fallback !== undefined) return fallback;
        missing = true;
        const position = positionOfOffset(text, node.range?.[0] ?? 0);
        problems.push({
          level: 'error',
          code: 'config.env-missing',
          message: `environment variable ${name} is not set, and ${pointerOf(path, node)} uses it with no default`,
          source: { file, line: position.line, column: position.column, pointer: pointerOf(path, node) },
          hint: `set ${name} in the environment, or write \${${name}:-<default>}`,
        });
        return match;
      });
      if (missing || replaced === original) return;
      // Only numbers and booleans are retyped: `${EMPTY:-}` stays "", not null.
      const typed = /^\$\{[^}]+\}$/.test(original) && node.type === 'PLAIN' ? (yaml.parse(replaced) as unknown) : undefined;
      node.value = typeof typed === 'number' || typeof typed === 'boolean' ? typed : replaced;
    },
  });
  return problems;
}

/** The JSON pointer of a scalar from the visitor's ancestor path. */
function pointerOf(path: readonly unknown[], node: Node): string {
  const yaml = yamlModule();
  const segments: string[] = [];
  const chain = [...path, node];
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (yaml.isPair(parent)) {
      if (parent.value === child && yaml.isScalar(parent.key)) segments.push(String(parent.key.value));
    } else if (yaml.isSeq(parent)) {
      segments.push(String(parent.items.indexOf(child as never)));
    }
  }
  return segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
