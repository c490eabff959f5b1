import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npm, repo, sdkTarball } from './sdk-tarball.js';

// A third party's view of the SDK: its tarball installed in an empty folder outside the checkout,
// with nothing of the host around it.
const tsc = join(repo, 'node_modules/typescript/bin/tsc');
let consumer: string;
let unpacked: string;

/** A small plugin that touches the root entry, ConfigFromSchema, a kit and the testing kit. */
const PLUGIN = `import { definePlugin, inject, injectable, PluginConfigToken, Tools, type ConfigFromSchema, type Tool, type ToolResult } from '@nexus/plugin-sdk';
import { chunkText } from '@nexus/plugin-sdk/channel';
import { createToolContext, MemoryLogger } from '@nexus/plugin-sdk/testing';

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { width: { type: 'integer', minimum: 1, default: 20 } },
} as const;
export type Config = ConfigFromSchema<typeof configSchema>;

@injectable()
export class ChunkTool implements Tool<{ text: string }> {
  readonly name = 'chunk';
  readonly description = 'Splits text into lines of the configured width.';
  readonly inputSchema = { type: 'object', required: ['text'], properties: { text: { type: 'string' } } };
  constructor(@inject(PluginConfigToken) private readonly config: Config) {}
  async execute(input: { text: string }): Promise<ToolResult> {
    const width: number = this.config.width;
    return { content: chunkText(input.text, { limit: width }).join('\\n') };
  }
}

export default definePlugin<Config>({
  register(ctx) {
    ctx.contribute(Tools, 'chunk').to(ChunkTool);
  },
});

export const probe = { context: createToolContext(), logger: new MemoryLogger() };
`;

beforeAll(() => {
  const tarball = sdkTarball();
  consumer = mkdtempSync(join(tmpdir(), 'nexus-sdk-consumer-'));
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'acme-chunker', version: '1.0.0', private: true, type: 'module' }));
  // json-schema-to-ts (ConfigFromSchema's types) comes with the SDK, as its one dependency.
  npm(['install', '--prefer-offline', tarball, '@types/node@20'], consumer);
  mkdirSync(join(consumer, 'src'));
  writeFileSync(join(consumer, 'src/index.ts'), PLUGIN);
  writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', lib: ['ES2023'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true,
      experimentalDecorators: true, emitDecoratorMetadata: false, types: ['node'], noEmit: true,
      // As plugin packages usually set it; that the SDK's declarations resolve only inside the
      // package is checked below, import by import.
      skipLibCheck: true,
    },
    include: ['src'],
  }));
  unpacked = mkdtempSync(join(tmpdir(), 'nexus-sdk-unpacked-'));
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
}, 120_000);

afterAll(() => {
  for (const dir of [consumer, unpacked]) if (dir) rmSync(dir, { recursive: true, force: true });
});

function declarationFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('@nexus/plugin-sdk as a package', () => {
  it('packs its build, its README and the manifest schema, and no sources', () => {
    const files = readdirSync(join(unpacked, 'package'), { recursive: true }).map(String);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'manifest.schema.json', 'dist/index.js', 'dist/index.d.ts', 'dist/testing/index.d.ts', 'dist/storage/index.d.ts']));
    expect(files.filter((file) => file.startsWith('src'))).toEqual([]);
  });

  it('installs into an empty folder and type-checks a plugin using definePlugin, ConfigFromSchema, a kit and the testing kit', () => {
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', join(consumer, 'tsconfig.json')], { cwd: consumer, encoding: 'utf8' });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 120_000);

  it('runs from the installed folder alone: the decorators and definePlugin work without the host', () => {
    const script = "import { definePlugin, createToken } from '@nexus/plugin-sdk'; import { chunkText } from '@nexus/plugin-sdk/channel'; const p = definePlugin({ register() {} }); console.log(JSON.stringify([typeof p.register, String(createToken('x.y')), chunkText('aaaa bbbb', { limit: 5 })]));";
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' }).trim()).toBe('["function","Symbol(x.y)",["aaaa","bbbb"]]');
  });

  it('declares types that stay inside the package: no paths into the host, no inversify in public signatures', () => {
    const dist = join(unpacked, 'package/dist');
    const files = declarationFiles(dist);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const where = relative(dist, file);
      // dist/shared/* are the host loader's copies of inversify, not signatures a plugin sees.
      if (where.startsWith('shared/')) continue;
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from\s+|import\()\s*['"]([^'"]+)['"]/g)) {
        const allowed = spec!.startsWith('node:') || spec === 'kysely' || spec === 'json-schema-to-ts' || (spec!.startsWith('.') && !join(file, '..', spec!).startsWith('..') && join(file, '..', spec!).startsWith(dist));
        expect(allowed, `${where} imports ${spec}`).toBe(true);
      }
      expect(text, `${where} names inversify`).not.toMatch(/inversify|reflect-metadata/i);
      expect(text, `${where} points into a checkout`).not.toMatch(/\/(?:src|dist)\/(?:kernel|cli|builtin-plugins)\//);
    }
  });
});
