import { schemaLiteral, type KindTemplate } from './kind-template.js';

const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { greeting: { type: 'string', default: 'Hello', maxLength: 100, description: 'Put before the name.' } },
};

/** A tool the agent calls, configured through `plugins.entries.<id>.config`. */
export const toolTemplate: KindTemplate = {
  summary: 'a tool the agent can call',
  configSchema,
  contributes: (n) => ({
    tools: [
      {
        name: n.short,
        description: 'Greets someone by name.',
        // The host offers the tool with this, and checks the model's input against it before the plugin loads.
        inputSchema: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, description: 'Who to greet.' } },
        },
      },
    ],
  }),
  entry: (n) => `import { definePlugin, inject, injectable, PluginConfigToken, Tools, type ConfigFromSchema, type ConfigSchema, type Tool, type ToolResult } from '@nexus/plugin-sdk';

/** The manifest's \`configSchema\`, as a literal the compiler can read (the test keeps the two equal). */
export const configSchema = ${schemaLiteral(configSchema)} as const satisfies ConfigSchema;

/** \`plugins.entries.${n.id}.config\`, defaults applied. */
export type Config = ConfigFromSchema<typeof configSchema>;

export interface ${n.pascal}Input {
  readonly name: string;
}

/** Its name, description and input schema are in nexus.plugin.json: the code is just execute(). */
@injectable()
export class ${n.pascal}Tool implements Tool<${n.pascal}Input> {
  constructor(@inject(PluginConfigToken) private readonly config: Config) {}

  async execute(input: ${n.pascal}Input): Promise<ToolResult> {
    return { content: \`\${this.config.greeting}, \${input.name}!\` };
  }
}

export default definePlugin<Config>({
  register(ctx) {
    ctx.contribute(Tools, '${n.short}').to(${n.pascal}Tool);
  },
});
`,
  test: (n) => `import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestHost, verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { configSchema } from '../dist/index.js';

// The plugin folder: the one holding nexus.plugin.json.
const plugin = fileURLToPath(new URL('..', import.meta.url));

test('honours its manifest', async () => {
  const report = await verifyPluginContract({ plugin });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.resolved, ['tools:${n.short}']);
});

test('types its config from the schema its manifest declares', () => {
  const manifest = JSON.parse(readFileSync(new URL('../nexus.plugin.json', import.meta.url), 'utf8'));
  assert.deepEqual(configSchema, manifest.configSchema);
});

test('the agent calls the tool and gets the configured greeting', async () => {
  const host = await startTestHost({
    plugin,
    config: { greeting: 'Hi' },
    // The scripted model calls the tool, then answers.
    model: [{ toolCalls: [{ name: '${n.short}', input: { name: 'Ada' } }] }, 'Said hi to Ada.'],
  });
  try {
    const turn = await host.turn('greet Ada');
    assert.deepEqual(turn.toolCalls, [{ name: '${n.short}', input: { name: 'Ada' }, result: 'Hi, Ada!', isError: false }]);
    assert.equal(turn.text, 'Said hi to Ada.');
    // Input the schema refuses never reaches execute().
    assert.equal((await host.callTool('${n.short}', { name: '' })).isError, true);
  } finally {
    await host.stop();
  }
});
`,
  readme: (n) => `Contributes the \`${n.short}\` tool: the agent calls it with \`{ "name": "Ada" }\` and gets
\`Hello, Ada!\`. The greeting is configurable:

\`\`\`yaml
plugins:
  entries:
    ${n.id}:
      config:
        greeting: Hi
\`\`\`
`,
};
