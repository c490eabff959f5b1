import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const sdk = join(import.meta.dirname, '../../plugin-sdk');
const pkg = JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string }> };
/** Every entry point a plugin may import (the shared module copies are the loader's, not API). */
const entries = Object.entries(pkg.exports).filter(([subpath, target]) => typeof target === 'object' && !subpath.includes('*'));

/** The declarations are the SDK's build: it must be newer than every source it is built from. */
function requireFreshSdkBuild(): void {
  const built = statSync(join(sdk, 'dist', 'index.d.ts'), { throwIfNoEntry: false });
  const stale = readdirSync(join(sdk, 'src'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && statSync(join(e.parentPath, e.name)).mtimeMs > (built?.mtimeMs ?? 0));
  if (!built || stale.length > 0) throw new Error('plugin-sdk/dist is missing or older than plugin-sdk/src: run `npm run build` (or `node plugin-sdk/build.mjs`) first');
}

const declarationFiles = entries.map(([, target]) => join(sdk, (target as { types: string }).types));
// One program for every entry point: they share most of their declarations.
let program: ts.Program | undefined;

/** `name: kind` for each export of a declaration file, as a plugin author's compiler sees it. */
function declaredExports(dts: string): string[] {
  program ??= ts.createProgram(declarationFiles, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dts)!;
  const moduleSymbol = checker.getSymbolAtLocation(source)!;
  return checker.getExportsOfModule(moduleSymbol).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const f = target.flags;
    const kind = f & ts.SymbolFlags.Class ? 'class' : f & ts.SymbolFlags.Function ? 'function' : f & ts.SymbolFlags.Variable ? 'const' : f & ts.SymbolFlags.Interface ? 'interface' : f & ts.SymbolFlags.TypeAlias ? 'type' : f & ts.SymbolFlags.Enum ? 'enum' : 'other';
    return `${symbol.name}: ${kind}`;
  }).sort();
}

/**
 * The SDK's public surface, entry point by entry point. A change here is a change to what every
 * plugin may depend on: review it, then update the snapshot with `npx vitest run test/sdk/public-surface.test.ts --update`.
 */
describe('the SDK public surface', () => {
  for (const [subpath, target] of entries) {
    it(`of ${subpath === '.' ? '@nexus/plugin-sdk' : `@nexus/plugin-sdk/${subpath.slice(2)}`} is deliberate`, () => {
      requireFreshSdkBuild();
      expect(declaredExports(join(sdk, (target as { types: string }).types))).toMatchSnapshot();
    });
  }
});
