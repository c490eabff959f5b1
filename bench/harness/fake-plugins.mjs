// N installed plugin packages that discovery finds and the planner enables, but whose
// activation events never fire: each contributes a command and a tool nobody asks for. Their entry module throws when imported, so a benchmark that loaded
// one by mistake fails (the child checks that nothing but echo ends up active or failed).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeFakePlugins(nodeModules, count) {
  mkdirSync(nodeModules, { recursive: true });
  for (let i = 0; i < count; i++) {
    const dir = join(nodeModules, `nexus-plugin-fake-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `nexus-plugin-fake-${i}`, version: '1.0.0', type: 'module', main: './index.js' }, null, 2),
    );
    writeFileSync(
      join(dir, 'nexus.plugin.json'),
      JSON.stringify(
        {
          id: `fake-${i}`,
          name: `Fake plugin ${i}`,
          version: '1.0.0',
          description: 'Benchmark filler: enabled, never activated.',
          main: './index.js',
          engines: { nexus: '>=0.1.0 <1.0.0' },
          contributes: {
            commands: [{ name: `fake-${i}`, description: 'Never run by the benchmarks.' }],
            tools: [{ name: `fake-tool-${i}`, description: 'Never called by the benchmarks.' }],
          },
        },
        null,
        2,
      ),
    );
    writeFileSync(join(dir, 'index.js'), `throw new Error('fake plugin ${i} was imported; discovery and planning must not run plugin code');\n`);
  }
  return nodeModules;
}
