import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startFakeOpenAI } from '../fixtures/llm-servers/index.js';
import { fakeLlm, nexusInstance, repoRoot } from './serve-harness.js';

/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, fetched by npx) against
 * the /mcp route of a real `nexus serve`, with the echo example plugin's tool. The suite needs
 * Node 22 or later (it crashes on Node 20), so it runs in the Node 24 leg (`npm run test:node24`).
 */
const major = Number(process.versions.node.split('.')[0]);
const runs = major >= 22 ? it : it.skip;
const echoPlugin = join(repoRoot, 'examples/plugins/echo');

describe('e2e: MCP conformance of /mcp', { timeout: 600_000 }, () => {
  if (major < 22) it.skip(`needs Node 22 or later (this is ${process.versions.node}): run it with npm run test:node24`, () => undefined);

  runs('passes every scenario Nexus offers (the rest are listed, with reasons, in scripts/mcp-conformance-baseline.yml)', async () => {
    await using llm = await startFakeOpenAI();
    const nexus = nexusInstance({ llm: fakeLlm(llm), mcp: { server: { enabled: true } }, plugins: { load: { paths: [echoPlugin] } } });
    const server = await nexus.serve();
    const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(repoRoot, 'scripts/mcp-conformance.mjs'), '--url', `${server.httpUrl}/mcp`], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, output }));
    });
    expect(run.code, run.output).toBe(0);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
