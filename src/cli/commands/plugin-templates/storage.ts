import type { KindTemplate } from './kind-template.js';

/** A plugin that keeps tables of its own in the Nexus database: migrations plus plain SQL. */
export const storageTemplate: KindTemplate = {
  summary: 'tables of its own in the Nexus database (migrations and plain SQL)',
  permissions: ['nexus.store.sql'],
  contributes: (n) => ({
    migrations: [{ name: n.id, description: `The ${n.snake}_notes table.` }],
    tools: [
      {
        name: `${n.snake}_notes`,
        description: 'Saves a note when given one; lists the latest notes otherwise.',
        inputSchema: {
          type: 'object',
          additionalProperties: false,
          properties: { note: { type: 'string', minLength: 1, maxLength: 4000, description: 'The note to save.' } },
        },
      },
    ],
  }),
  entry: (n) => `import {
  definePlugin,
  inject,
  injectable,
  Migrations,
  ServicesToken,
  SqlDatabaseToken,
  Tools,
  type ServiceRegistry,
  type SqlClient,
  type SqlMigration,
  type Tool,
  type ToolResult,
} from '@nexus/plugin-sdk';
import { UuidV7Generator } from '@nexus/plugin-sdk/storage';

/**
 * Never edit a released migration (its checksum is stored when it runs): add the next one.
 * Tables carry the plugin's name as a prefix.
 */
export const migrations: readonly SqlMigration[] = [
  {
    id: '0001_notes',
    up: 'CREATE TABLE ${n.snake}_notes (id TEXT PRIMARY KEY, body TEXT NOT NULL, created_at BIGINT NOT NULL);',
    down: 'DROP TABLE ${n.snake}_notes;',
  },
];

/** The notes table, on whichever SQL database the storage slot holds (SQLite or PostgreSQL). */
export class ${n.pascal}Notes {
  private readonly ids = new UuidV7Generator();

  constructor(private readonly sql: SqlClient) {}

  async add(body: string, now = Date.now()): Promise<string> {
    const id = this.ids.next(now);
    await this.sql.run('INSERT INTO ${n.snake}_notes (id, body, created_at) VALUES (?, ?, ?)', [id, body, now]);
    return id;
  }

  async list(limit = 20): Promise<string[]> {
    const rows = await this.sql.all<{ body: string }>('SELECT body FROM ${n.snake}_notes ORDER BY id DESC LIMIT ?', [limit]);
    return rows.map((row) => row.body);
  }
}

export interface NotesInput {
  readonly note?: string;
}

/** Its name, description and input schema are in nexus.plugin.json: the code is just execute(). */
@injectable()
export class ${n.pascal}NotesTool implements Tool<NotesInput> {
  // The database is resolved on first use, not at activation: the store activates this plugin to
  // collect its migrations, so awaiting it then would wait on itself.
  constructor(@inject(ServicesToken) private readonly services: ServiceRegistry) {}

  async execute(input: NotesInput): Promise<ToolResult> {
    if (!this.services.has(SqlDatabaseToken)) {
      return { content: 'notes need a SQL database: set database.url to a SQLite or PostgreSQL database, not memory', isError: true };
    }
    const notes = new ${n.pascal}Notes(await this.services.get(SqlDatabaseToken));
    if (input.note !== undefined) return { content: \`saved note \${await notes.add(input.note)}\` };
    const latest = await notes.list();
    return { content: latest.length === 0 ? 'no notes yet' : latest.map((body) => \`- \${body}\`).join('\\n') };
  }
}

export default definePlugin({
  register(ctx) {
    ctx.contribute(Migrations, '${n.id}').toConstantValue({ migrations });
    ctx.contribute(Tools, '${n.snake}_notes').to(${n.pascal}NotesTool);
  },
});
`,
  test: (n) => `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { ${n.pascal}Notes, migrations } from '../dist/index.js';

const plugin = fileURLToPath(new URL('..', import.meta.url));

test('honours its manifest', async () => {
  const report = await verifyPluginContract({ plugin });
  assert.deepEqual(report.problems, []);
  assert.deepEqual([...report.resolved].sort(), ['migrations:${n.id}', 'tools:${n.snake}_notes']);
});

test('numbers its migrations in the order they apply, with a way back for each', () => {
  const ids = migrations.map((m) => m.id);
  assert.deepEqual(ids, [...ids].sort());
  for (const m of migrations) assert.ok(m.down, \`\${m.id} has no down migration\`);
});

test('writes and reads notes with ? placeholders (a recording SqlClient stands in for the database)', async () => {
  const statements = [];
  const sql = {
    dialect: 'sqlite',
    run: async (text, params) => (statements.push([text, params]), { changes: 1 }),
    all: async (text, params) => (statements.push([text, params]), [{ body: 'second' }, { body: 'first' }]),
    transaction: (fn) => fn(sql),
  };
  const notes = new ${n.pascal}Notes(sql);
  await notes.add('first', 1000);
  assert.deepEqual(await notes.list(2), ['second', 'first']);
  assert.match(statements[0][0], /^INSERT INTO ${n.snake}_notes/);
  assert.deepEqual(statements[0][1].slice(1), ['first', 1000]);
  assert.deepEqual(statements[1][1], [2]);
});
`,
  readme: (n) => `Keeps a \`${n.snake}_notes\` table in the Nexus database: the \`${n.id}\` migration set creates
it (automatically on SQLite, with \`nexus migrate up\` on PostgreSQL) and the \`${n.snake}_notes\`
tool writes and reads it through \`nexus.store.sql\`, which the manifest asks for under
\`permissions\`. With \`database.url: memory\` there is no SQL database, and the tool says so.
`,
};
