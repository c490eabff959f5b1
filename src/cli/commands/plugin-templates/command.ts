import type { KindTemplate } from './kind-template.js';

/** A `nexus <name>` sub-command. */
export const commandTemplate: KindTemplate = {
  summary: 'a `nexus <name>` command',
  contributes: (n) => ({ commands: [{ name: n.short, description: 'Greets the names it is given.' }] }),
  entry: (n) => `import { CliCommands, definePlugin, injectable, type CliCommand, type CliCommandContext } from '@nexus/plugin-sdk';

/** \`nexus ${n.short} <name>…\`: the host activates only this plugin to run it. */
@injectable()
export class ${n.pascal}Command implements CliCommand {
  readonly name = '${n.short}';

  async run(ctx: CliCommandContext): Promise<number> {
    if (ctx.argv.length === 0) {
      ctx.stderr('usage: nexus ${n.short} <name>…\\n');
      return 2; // a usage error, as the host's own commands answer
    }
    for (const name of ctx.argv) ctx.stdout(\`Hello, \${name}!\\n\`);
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
  const ctx = createCommandContext({ argv: ['Ada', 'Grace'] });
  assert.equal(await new ${n.pascal}Command().run(ctx), 0);
  assert.equal(ctx.output().stdout, 'Hello, Ada!\\nHello, Grace!\\n');
});

test('answers a usage error without names', async () => {
  const ctx = createCommandContext();
  assert.equal(await new ${n.pascal}Command().run(ctx), 2);
  assert.match(ctx.output().stderr, /usage: nexus ${n.short}/);
});
`,
  readme: (n) => `Contributes the \`nexus ${n.short}\` command: \`nexus ${n.short} Ada\` prints \`Hello, Ada!\`.
The host activates only this plugin to run it.
`,
};
