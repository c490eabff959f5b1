#!/usr/bin/env node
// Writes the SDK's API reference (HTML, TypeDoc) from the types a plugin author imports: one
// module per public entry point of @nexus/plugin-sdk, as its package.json `exports` lists them.
// The host loader's copies (`./shared/*`) are left out: they are inversify, not the SDK's API.
//
//   node scripts/api-docs.mjs [--out <dir>]     (default docs/api-reference, not committed)
//
// Exits 1 when TypeDoc warns, for example about a type a public signature uses that no entry
// point exports: a plugin author could see that type but never name it.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application } from 'typedoc';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sdk = join(root, 'plugin-sdk');
const outFlag = process.argv.indexOf('--out');
const out = outFlag === -1 ? join(root, 'docs/api-reference') : resolve(process.argv[outFlag + 1] ?? '');

const { exports } = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8'));
const entryPoints = Object.entries(exports)
  .filter(([subpath, target]) => typeof target === 'object' && !subpath.includes('*'))
  .map(([, target]) => join(sdk, target.types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts')));

const app = await Application.bootstrap({
  name: '@nexus/plugin-sdk',
  entryPoints,
  tsconfig: join(sdk, 'tsconfig.build.json'),
  readme: join(sdk, 'README.md'),
  out,
  excludePrivate: true,
  excludeInternal: true,
  // Every type a public signature uses must be reachable from an entry point.
  validation: { notExported: true, invalidLink: true, notDocumented: false },
  // Kysely's own docs, for comments the SQL kit inherits from kysely's interfaces.
  externalSymbolLinkMappings: { kysely: { '*': 'https://kysely-org.github.io/kysely-apidoc/' } },
  githubPages: false,
  // Source links need a git remote to point at, and a checkout may have none (CI's has none): the
  // reference documents the types, and the sources sit beside it in the package.
  disableSources: true,
  hideGenerator: true,
  logLevel: 'Warn',
});
const project = await app.convert();
if (!project) {
  console.error('api-docs: TypeDoc could not read the SDK sources (see the errors above)');
  process.exit(1);
}
app.validate(project);
await app.generateDocs(project, out);
if (app.logger.hasErrors() || app.logger.hasWarnings()) {
  console.error(`api-docs: TypeDoc reported problems (above); fix them in plugin-sdk/src. Reference written to ${out}`);
  process.exit(1);
}
console.log(`api-docs: ${entryPoints.length} entry points documented in ${out}`);
