import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { everythingEntry, fixtureServer, isRunning, waitFor } from './mcp-test-kit.js';

const holder = join(dirname(fileURLToPath(import.meta.url)), 'fixtures/bridge-holder.ts');

describe('when the gateway process is SIGKILLed', () => {
  it('its stdio MCP servers exit once their stdin closes, server-everything included', async () => {
    // A real process holding the bridge; SIGKILL means none of its shutdown code runs.
    const child = spawn(process.execPath, ['--import', 'jiti/register', holder, everythingEntry, fixtureServer], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const lines = createInterface({ input: child.stdout });
      const [first] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => { throw new Error(`the holder exited early: ${stderr}`); })])) as [string];
      const pids = JSON.parse(first) as { everything: number; fixture: number };
      expect(await isRunning(pids.everything)).toBe(true);
      expect(await isRunning(pids.fixture)).toBe(true);

      child.kill('SIGKILL');
      await once(child, 'exit');
      await waitFor('server-everything exited after its stdin closed', async () => !(await isRunning(pids.everything)));
      await waitFor('the fixture server exited after its stdin closed', async () => !(await isRunning(pids.fixture)));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
