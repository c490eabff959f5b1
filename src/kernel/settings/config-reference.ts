type Schema = Record<string, unknown>;

/**
 * docs/config-reference.md, rendered from the composed schema: one section per top-level key
 * with its owner, then every setting as a dotted path with type, default and description.
 */
export function renderConfigReference(composed: Schema): string {
  const schema = inlineRefs(composed, (composed.$defs ?? {}) as Record<string, Schema>) as Schema;
  // A node's own keys count as much as its allOf parts (an object with properties and if/then conditions).
  const resolve = (node: Schema): Schema => {
    if (!Array.isArray(node.allOf)) return node;
    const { allOf, ...own } = node;
    return (allOf as Schema[]).reduce<Schema>((merged, part) => mergeSchemas(merged, resolve(part)), own);
  };

  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated from the composed config schema by `npm run docs:config`. Do not edit: a test fails when it is stale. -->',
    '',
    'Every key `nexus.yaml` accepts with the built-in plugins installed. Unknown keys are errors at',
    'every level. Installed plugins add their own sections; `nexus config schema` prints the schema',
    'for your installation. Values marked secret are never printed by `config show`, `doctor` or',
    'the logs. In any other value that is a URL, only its credentials are masked: the password',
    '(`user:***@`) and query parameters named like credentials (`?password=***`).',
    '',
  ];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const name of Object.keys(properties).sort(sectionOrder)) {
    const section = resolve(properties[name]!);
    lines.push(`## \`${name}\``, '', `Owner: ${section['x-owner'] === 'kernel' ? 'the kernel' : `plugin \`${String(section['x-owner'])}\``}.`);
    if (typeof section.description === 'string') lines.push('', section.description);
    const rows: string[][] = [];
    collect(section, name, rows, resolve);
    if (rows.length > 0) {
      lines.push('', '| key | type | default | description |', '| --- | --- | --- | --- |');
      for (const row of rows) lines.push(`| ${row.map((c) => c.replaceAll('|', '\\|').replaceAll('\n', ' ')).join(' | ')} |`);
    }
    lines.push('');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function collect(node: Schema, path: string, rows: string[][], resolve: (n: Schema) => Schema): void {
  const properties = (node.properties ?? {}) as Record<string, Schema>;
  for (const [key, raw] of Object.entries(properties)) {
    const child = resolve(raw);
    const childPath = `${path}.${key}`;
    rows.push([`\`${childPath}\``, typeOf(child), defaultOf(child), describe(child)]);
    if (child.properties) collect(child, childPath, rows, resolve);
    const extra = child.additionalProperties;
    if (typeof extra === 'object' && extra !== null) {
      const item = resolve(extra as Schema);
      const itemPath = `${childPath}.<id>`;
      if (item.properties) collect(item, itemPath, rows, resolve);
    }
  }
}

function typeOf(node: Schema): string {
  if (Array.isArray(node.enum)) return (node.enum as unknown[]).map((v) => `\`${JSON.stringify(v)}\``).join(', ');
  const type = Array.isArray(node.type) ? (node.type as string[]).join(' or ') : typeof node.type === 'string' ? node.type : 'any';
  if (type === 'array') {
    const items = node.items as Schema | undefined;
    return `array of ${items && typeof items.type === 'string' ? items.type : 'items'}`;
  }
  if (type === 'object' && typeof node.additionalProperties === 'object') return 'map';
  return type;
}

function defaultOf(node: Schema): string {
  if (!('default' in node)) return '';
  const value = JSON.stringify(node.default);
  return value === '{}' || value === '[]' ? '' : `\`${value}\``;
}

function describe(node: Schema): string {
  let text = typeof node.description === 'string' ? node.description : '';
  // Checked by `config validate` against what installed plugins contribute (see contribution-names.ts).
  if (typeof node['x-nexus-contribution'] === 'string') text = `${text} Checked against the ${node['x-nexus-contribution']} installed plugins contribute.`;
  return node.writeOnly === true ? `${text} (secret)`.trim() : text.trim();
}

/**
 * Replaces local `#/$defs/…` references with what they point at. An embedded plugin schema (one
 * with its own `$id`) resolves against its own `$defs`, as a validator would.
 */
function inlineRefs(node: unknown, defs: Record<string, Schema>, depth = 0): unknown {
  if (Array.isArray(node)) return node.map((item) => inlineRefs(item, defs, depth));
  if (node === null || typeof node !== 'object') return node;
  const schema = node as Schema;
  const scope = typeof schema.$id === 'string' && schema.$defs ? (schema.$defs as Record<string, Schema>) : defs;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/$defs/') && scope[ref.slice(8)] && depth < 16) {
    return inlineRefs({ ...scope[ref.slice(8)], ...withoutRef(schema) }, scope, depth + 1);
  }
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === '$defs' ? value : inlineRefs(value, scope, depth)]));
}

function withoutRef(node: Schema): Schema {
  const { $ref: _ref, ...rest } = node;
  return rest;
}

function mergeSchemas(a: Schema, b: Schema): Schema {
  return { ...a, ...b, properties: { ...((a.properties as Schema) ?? {}), ...((b.properties as Schema) ?? {}) } };
}

const FIRST = ['version', 'plugins', 'logging'];
function sectionOrder(a: string, b: string): number {
  const rank = (s: string) => (FIRST.includes(s) ? FIRST.indexOf(s) : FIRST.length);
  return rank(a) - rank(b) || a.localeCompare(b);
}
