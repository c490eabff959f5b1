// What the channel benchmarks share across platforms: the platform fakes the plugins' tests use
// (test/fixtures/platforms, loaded through jiti, which strips the types: one copy for tests and
// benchmarks), `nexus serve` with channel accounts and the instant echo provider, the bare
// library bots they are compared with (bench/children/bare-*-bot.mjs), and timing a reply by
// the moment the fake records it. Not a benchmark itself (index.mjs lists those).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createJiti } from 'jiti';
import { childEnv } from '../harness/child-env.mjs';
import { INSTANT_LLM_SETTINGS, writeInstantLlm } from '../harness/instant-llm.mjs';
import { benchDir, repoRoot } from '../harness/paths.mjs';
import { startServe } from './gateway-process.mjs';

const jiti = createJiti(import.meta.url);

/** A TypeScript module of the repo, by its path from the root. */
export const sourceModule = (path) => jiti.import(join(repoRoot, path));
/** A module of test/fixtures/platforms (`telegram/index.ts`, …). */
export const platformFixture = (path) => sourceModule(join('test', 'fixtures', 'platforms', path));

/** Open to everyone, so no pairing step stands between a benchmark's user and the agent. */
export const OPEN_ACCESS = { dm_policy: 'open', allow_from: ['*'] };

/** `nexus serve` in `dir` with these `channels` settings, answering through the echo provider; `options` go to startServe. */
export function startChannelServe(dir, channels, options = {}) {
  const provider = writeInstantLlm(join(dir, 'instant-llm'), { echo: true });
  const config = { server: { grpc_port: 0, http_port: 0 }, logging: { level: 'warn' }, llm: INSTANT_LLM_SETTINGS, plugins: { load: { paths: [provider] } }, channels };
  return startServe(join(dir, 'serve'), config, options);
}

/** bench/children/<script> with `args`, once it printed "ready". */
export async function startBareBot(script, args) {
  const child = spawn(process.execPath, [join(benchDir, 'children', script), ...args], { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const [line] = await Promise.race([once(child.stdout, 'data'), exited.then(([code]) => Promise.reject(new Error(`${script} exited with ${code} before it was ready`)))]);
  if (String(line).trim() !== 'ready') throw new Error(`${script} said ${line}`);
  return {
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Calls `send` and resolves with the ms until `feed` (a fake's Feed of posts) publishes a post
 * `isReply` accepts; rejects after `timeoutMs`.
 */
export function timedPost(feed, isReply, send, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    let started;
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no reply within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const unsubscribe = feed.subscribe((post) => {
      if (!isReply(post)) return;
      const ms = performance.now() - started;
      clearTimeout(timer);
      unsubscribe();
      resolve(ms);
    });
    started = performance.now();
    send();
  });
}

/** Resolves once `condition()` holds, polling; rejects with `what` after `timeoutMs`. */
export async function until(condition, what, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
