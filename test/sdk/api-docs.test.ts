import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const out = mkdtempSync(join(tmpdir(), 'nexus-api-docs-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('scripts/api-docs.mjs', () => {
  it('documents every public entry point of the SDK, with no type a signature uses left unexported', () => {
    let output: string;
    try {
      output = execFileSync(process.execPath, [join(repo, 'scripts/api-docs.mjs'), '--out', out], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      const failed = error as { stdout?: string; stderr?: string };
      throw new Error(`api-docs failed:\n${failed.stdout ?? ''}${failed.stderr ?? ''}`);
    }
    expect(output).not.toMatch(/not included in the documentation|warning/i);
    expect(output).toContain('api-docs: 7 entry points documented');
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).toContain('@nexus/plugin-sdk');
    // The root entry's `definePlugin` and a kit's export each get a page.
    expect(existsSync(join(out, 'functions/index.definePlugin.html'))).toBe(true);
    expect(existsSync(join(out, 'functions/storage.describeStoreContract.html'))).toBe(true);
  }, 240_000);
});
