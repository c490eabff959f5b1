#!/usr/bin/env node
// Regenerates docs/config-reference.md from the composed config schema of a plain install
// (the kernel plus the built-in plugins). test/config/reference.test.ts fails when it is stale.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const { Kernel, MemoryLogger, renderConfigReference } = await import(join(root, 'dist/kernel/index.js'));
const kernel = new Kernel({ home: tmpdir(), workspaceDir: tmpdir(), packageDirs: [], discoveryIndex: false, logger: new MemoryLogger() });
writeFileSync(join(root, 'docs/config-reference.md'), renderConfigReference(kernel.configSchema()));
console.log('wrote docs/config-reference.md');
