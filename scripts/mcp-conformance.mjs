#!/usr/bin/env node
// Runs the MCP conformance suite (@modelcontextprotocol/conformance) against Nexus's own MCP
// server: the engine's streamable-HTTP endpoint on 127.0.0.1:0, with a small set of tools and a
// send_message whose turn port echoes (no model). The suite needs Node 22+, so it runs through
// `npx -y -p node@24`; this script itself runs on the repo's Node. Build first (`npm run build`).
//
//   node scripts/mcp-conformance.mjs                      # the active suite, with the baseline
//   node scripts/mcp-conformance.mjs --scenario tools-list
//   node scripts/mcp-conformance.mjs --no-baseline        # show every failure
//   node scripts/mcp-conformance.mjs --url http://127.0.0.1:8080/mcp   # a running Nexus's /mcp route instead
//   node scripts/mcp-conformance.mjs --baseline other.yml              # another expected-failures list
//
// The conformance client sends no credentials, so this server admits every request; the
// credential check is covered by test/builtin-plugins/mcp/nexus-mcp-server.test.ts. Scenarios
// that need the suite's own fixture tools (test_image_content, test_prompt…, resources) are in
// scripts/mcp-conformance-baseline.yml with the reason each cannot pass.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const CONFORMANCE = '@modelcontextprotocol/conformance@0.1.16';
const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const useBaseline = !args.includes('--no-baseline');
/** `--url U`: test the MCP server at U (a running Nexus's /mcp) instead of starting the engine here. */
const external = valueOf('--url');
const baseline = valueOf('--baseline') ?? 'scripts/mcp-conformance-baseline.yml';
const passThrough = args.filter((arg, i) => arg !== '--no-baseline' && !['--url', '--baseline'].includes(arg) && !['--url', '--baseline'].includes(args[i - 1]));

function valueOf(flag) {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
}

const target = external ? { url: external, close: async () => undefined } : await startEngine();

const { url } = target;
const output = mkdtempSync(join(tmpdir(), 'nexus-mcp-conformance-'));
console.log(`mcp-conformance: Nexus MCP server at ${url}; results in ${output}`);

const command = ['-y', '-p', 'node@24', '-p', CONFORMANCE, '--', 'conformance', 'server', '--url', url, '-o', output, ...passThrough];
if (useBaseline) command.push('--expected-failures', join(root, baseline));
const child = spawn('npx', command, { stdio: 'inherit', env: { ...process.env, npm_config_update_notifier: 'false' } });
const [code] = await once(child, 'exit');

await target.close();
if (process.env.KEEP_RESULTS !== '1') rmSync(output, { recursive: true, force: true });
process.exit(code ?? 1);

/** The engine's endpoint on 127.0.0.1:0, with an echo tool and a send_message that echoes (no model). */
async function startEngine() {
  const { McpHttpEndpoint, nexusMcpServerFactory, readMcpSettings } = await import(pathToFileURL(join(root, 'dist/builtin-plugins/mcp/engine.js')).href);
  const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };
  const { server: settings } = readMcpSettings({ server: { enabled: true } });
  const tools = [
    {
      name: 'echo',
      description: 'Echoes the text back.',
      inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
      execute: async ({ text }) => ({ content: text }),
    },
  ];
  const endpoint = new McpHttpEndpoint({
    createServer: nexusMcpServerFactory({
      tools,
      settings,
      defaultToolTimeoutMs: 30_000,
      version: 'conformance',
      logger: quiet,
      turn: async ({ text, sessionKey, mcpSessionId }) => ({ reply: `echo: ${text}`, sessionKey: sessionKey ?? `mcp:${mcpSessionId}` }),
    }),
    authorize: async () => ({ ok: true }),
    settings,
    logger: quiet,
  });
  const http = createServer((req, res) => {
    if (new URL(req.url, 'http://x').pathname === '/mcp') void endpoint.handle(req, res);
    else res.writeHead(404).end();
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const url = `http://127.0.0.1:${http.address().port}/mcp`;
  return {
    url,
    close: async () => {
      await endpoint.close();
      http.closeAllConnections();
      http.close();
    },
  };
}
