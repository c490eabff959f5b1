import type { KindTemplate } from './kind-template.js';

/** A `nexus <name>` sub-command. */
export const commandTemplate: KindTemplate = {
  summary: 'a `nexus <name>` command',
  contributes: (n) => ({
    commands: [
      {
        name: n.short,
        description: 'Greets the names it is given.',
        arguments: [{ name: 'names', description: 'who to greet', variadic: true }],
        options: [{ name: 'shout', type: 'boolean', description: 'greet in capitals' }],
      },
    ],
  }),
  entry: (n) => `import { CliCommands, definePlugin, injectable, type CliCommand, type CliCommandContext } from '@nexus/plugin-sdk';

/** What the host parsed from \`nexus ${n.short} <names…> [--shout]\`, as the manifest declares it. */
type Args = { readonly names: readonly string[] };
type Options = { readonly shout: boolean };

/** \`nexus ${n.short} <names…>\`: the host parses the line and activates only this plugin to run it. */
@injectable()
export class ${n.pascal}Command implements CliCommand {
  readonly name = '${n.short}';

  async run(ctx: CliCommandContext<Args, Options>): Promise<number> {
    for (const name of ctx.args.names) {
      const greeting = \`Hello, \${name}!\`;
      ctx.stdout(\`\${ctx.options.shout ? greeting.toUpperCase() : greeting}\\n\`);
    }
    return 0;
  }
}

export default definePlugin({
  register(ctx) {
    ctx.contribute(CliCommands, '${n.short}').to(${n.pascal}Command);
  },
});
`,
  test: (n) => `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createCommandContext, verifyPluginContract } from '@nexus/plugin-sdk/testing';
import { ${n.pascal}Command } from '../dist/index.js';

const plugin = fileURLToPath(new URL('..', import.meta.url));

test('honours its manifest', async () => {
  const report = await verifyPluginContract({ plugin });
  assert.deepEqual(report.problems, []);
  assert.deepEqual(report.resolved, ['commands:${n.short}']);
});

test('greets every name', async () => {
  // What the host hands over after parsing \`nexus ${n.short} Ada Grace\`.
  const ctx = createCommandContext({ args: { names: ['Ada', 'Grace'] }, options: { shout: false } });
  assert.equal(await new ${n.pascal}Command().run(ctx), 0);
  assert.equal(ctx.output().stdout, 'Hello, Ada!\\nHello, Grace!\\n');
});

test('shouts with --shout', async () => {
  const ctx = createCommandContext({ args: { names: ['Ada'] }, options: { shout: true } });
  assert.equal(await new ${n.pascal}Command().run(ctx), 0);
  assert.equal(ctx.output().stdout, 'HELLO, ADA!\\n');
});
`,
  readme: (n) => `Contributes the \`nexus ${n.short}\` command: \`nexus ${n.short} Ada\` prints \`Hello, Ada!\`.
The host activates only this plugin to run it.
`,
};
