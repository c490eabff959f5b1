import { existsSync, readFileSync } from 'node:fs';
import { writeAtomically } from '../host/index.js';
import { yamlModule } from '../lazy/index.js';
import { ConfigFileError, parseConfigText } from './config-file.js';

/**
 * Sets `plugins.entries.<id>.enabled` in a config file, keeping comments and key order (yaml
 * Document API; spacing inside a line may be normalised). Refuses to touch a file that does not parse, and
 * writes atomically so an interrupted write never leaves half a file.
 */
export function setPluginEnabled(path: string, id: string, enabled: boolean): { readonly created: boolean } {
  const created = !existsSync(path);
  const text = created ? '' : readFileSync(path, 'utf8');
  if (!created) parseConfigText(text, path); // throws ConfigFileError with positions
  const { isMap, parseDocument } = yamlModule();
  const doc = parseDocument(text);
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new ConfigFileError([
      { level: 'error', code: 'config.not-a-mapping', message: `${path} is not a YAML mapping`, source: { file: path, line: 1, column: 1 } },
    ]);
  }
  for (const key of [['plugins'], ['plugins', 'entries'], ['plugins', 'entries', id]]) {
    const node = doc.getIn(key, true);
    if (node !== undefined && node !== null && !isMap(node)) {
      throw new ConfigFileError([
        {
          level: 'error',
          code: 'config.invalid',
          message: `${key.join('.')} in ${path} is not a mapping, so it cannot hold plugins.entries.${id}.enabled`,
          source: { file: path },
          hint: `make ${key.join('.')} a mapping first`,
        },
      ]);
    }
  }
  doc.setIn(['plugins', 'entries', id, 'enabled'], enabled);
  writeAtomically(path, doc.toString({ flowCollectionPadding: false }));
  return { created };
}
