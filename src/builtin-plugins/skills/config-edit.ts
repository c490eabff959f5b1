import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isMap, parseDocument } from 'yaml';

/**
 * Sets `skills.entries.<name>.enabled` in the config file, keeping comments and key order (the yaml
 * Document API; spacing inside a line may be normalised). It refuses a file that does not parse,
 * and writes to a temporary file renamed into place, so an interrupted write never leaves half a file.
 *
 * The kernel's `plugins enable` editor is not reachable from a plugin, and the SDK does not
 * depend on yaml, so this plugin carries its own small editor (as the memory plugin does for
 * its migration).
 */
export function setSkillEnabled(path: string, name: string, enabled: boolean): { readonly created: boolean } {
  const created = !existsSync(path);
  const text = created ? '' : readFileSync(path, 'utf8');
  const doc = parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
    throw new Error(`${path}:${line}:${col}: the config file is not valid YAML (${error.message.split('\n')[0]}); fix it first, nothing was changed`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error(`${path} is not a YAML mapping; nothing was changed`);
  for (const key of [['skills'], ['skills', 'entries'], ['skills', 'entries', name]]) {
    const node = doc.getIn(key, true);
    if (node !== undefined && node !== null && !isMap(node)) {
      throw new Error(`${key.join('.')} in ${path} is not a mapping, so it cannot hold skills.entries.${name}.enabled; make it a mapping first`);
    }
  }
  doc.setIn(['skills', 'entries', name, 'enabled'], enabled);
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, doc.toString({ flowCollectionPadding: false }));
  renameSync(temp, path);
  return { created };
}
