import { channelTemplate } from './channel.js';
import { commandTemplate } from './command.js';
import type { KindTemplate } from './kind-template.js';
import type { PluginNames } from './names.js';
import { providerTemplate } from './provider.js';
import { storageTemplate } from './storage.js';
import { toolTemplate } from './tool.js';

export { pluginNames, type PluginNames } from './names.js';

export const PLUGIN_KINDS = { tool: toolTemplate, channel: channelTemplate, provider: providerTemplate, storage: storageTemplate, command: commandTemplate } as const satisfies Record<string, KindTemplate>;
export type PluginKind = keyof typeof PLUGIN_KINDS;

/** Where the scaffold's dev dependencies come from, and which host versions it supports. */
export interface ScaffoldSources {
  /** npm install spec of `@nexus/plugin-sdk`: `file:` of the host's copy, a tarball, or a range. */
  readonly sdk: string;
  /** npm install spec of the host (`nexus`), whose side of the testing kit the test runs. */
  readonly host: string;
  /** The SDK's version, for the `^major.minor.0` peer range. */
  readonly sdkVersion: string;
  /** The host's version, for `engines.nexus`. */
  readonly hostVersion: string;
}

/** Every file of a new plugin package, by path relative to its folder. */
export function renderPlugin(kind: PluginKind, n: PluginNames, sources: ScaffoldSources): ReadonlyMap<string, string> {
  const t: KindTemplate = PLUGIN_KINDS[kind];
  const [major, minor] = sources.sdkVersion.split('.');
  const hostMajor = Number(sources.hostVersion.split('.')[0]);
  const manifest = {
    $schema: './node_modules/@nexus/plugin-sdk/manifest.schema.json',
    id: n.id,
    name: n.title,
    version: '0.1.0',
    description: `${n.title}: ${t.summary}.`,
    main: './dist/index.js',
    // Checked by the host before it imports any code (npm does not check engines.nexus).
    engines: { nexus: `>=${sources.hostVersion} <${hostMajor + 1}.0.0` },
    contributes: t.contributes(n),
    ...(t.permissions ? { permissions: t.permissions } : {}),
    ...(t.configSchema ? { configSchema: t.configSchema } : {}),
  };
  const pkg = {
    name: n.packageName,
    version: '0.1.0',
    description: manifest.description,
    type: 'module',
    license: 'UNLICENSED',
    files: ['dist', 'nexus.plugin.json'],
    scripts: { build: 'tsc -p tsconfig.json', typecheck: 'tsc -p tsconfig.json --noEmit', test: `npm run build && node --test test/${n.short}.test.mjs` },
    // The host gives every plugin its own copy of the SDK at run time: a peer, never a dependency.
    peerDependencies: { '@nexus/plugin-sdk': `^${major}.${minor}.0` },
    devDependencies: { '@nexus/plugin-sdk': sources.sdk, '@types/node': '^20.19.0', nexus: sources.host, typescript: '~5.9.3' },
    engines: { node: '^20.19.0 || >=22.12.0' },
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true,
      isolatedModules: true, verbatimModuleSyntax: true,
      // As the host compiles: legacy decorators, no emitted metadata (every parameter has @inject).
      experimentalDecorators: true, emitDecoratorMetadata: false,
      declaration: true, types: ['node'], rootDir: 'src', outDir: 'dist',
    },
    include: ['src'],
  };
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return new Map([
    ['nexus.plugin.json', json(manifest)],
    ['package.json', json(pkg)],
    ['tsconfig.json', json(tsconfig)],
    ['.gitignore', 'node_modules/\ndist/\n'],
    ['src/index.ts', t.entry(n)],
    [`test/${n.short}.test.mjs`, t.test(n)],
    ['README.md', readme(kind, t, n)],
  ]);
}

function readme(kind: PluginKind, t: KindTemplate, n: PluginNames): string {
  return `# ${n.packageName}

A Nexus plugin (${kind}): ${t.summary}. Made by \`nexus plugins new ${n.packageName} --kind ${kind}\`.

${t.readme(n)}
## Develop

\`\`\`sh
npm install --ignore-scripts   # the SDK and the host, for types and the testing kit
npm test                       # builds dist/ with tsc, then runs test/${n.short}.test.mjs with node --test
\`\`\`

Neither \`@nexus/plugin-sdk\` nor \`nexus\` is on the npm registry yet, so the dev dependencies
name local copies: the Nexus that made this folder, and its SDK or the SDK tarball given with
\`--sdk\`. The test runs the plugin in that host through \`@nexus/plugin-sdk/testing\`.

## Load it into Nexus

Build it, then add the folder to \`nexus.yaml\`:

\`\`\`yaml
plugins:
  load:
    paths:
      - ./${n.short}
\`\`\`

\`nexus plugins list\` shows it, \`nexus plugins info ${n.id}\` what it contributes. See the plugin
authoring guide (docs/plugin-authoring.md in the Nexus repository) for everything else, and its
§15 to publish the package.
`;
}
