import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'examples/plugins/*/test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    // One PostgreSQL database per run for the storage tests, dropped afterwards.
    globalSetup: ['./test/builtin-plugins/storage/postgres-global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most test files wait on sockets, child processes and databases rather than compute, so two
    // files at a time keep a 2-CPU machine busy where vitest's default (CPUs - 1) runs one.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // The SDK's build is loaded by Node itself, as the host and plugins load it, so tests, the
    // kernel under test and the plugins it imports share its one module instance (and with it
    // one inversify). Inlined by the test runner, it would be a second copy.
    server: { deps: { external: [/\/plugin-sdk\/dist\//] } },
    // A machine-readable report per Node major, summed up by scripts/test-summary.mjs in CI.
    reporters: ['default', ['json', { outputFile: `test-results/node-${process.versions.node.split('.')[0]}.json` }]],
  },
});
