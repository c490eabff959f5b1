import { afterEach, describe, expect, it } from 'vitest';
import { backoffDelay, type ConnectionManager } from '../../../src/builtin-plugins/mcp/connections/index.js';
import { HttpFixtureServer } from './fixtures/http-fixture-server.js';
import { freePort, ManualTimers, managerFor, serverSettings, waitFor } from './mcp-test-kit.js';

const settings = { initialDelayMs: 1000, maxDelayMs: 8000, stableAfterMs: 30_000 };

describe('reconnection backoff', () => {
  it('doubles up to the cap, half fixed and half jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(settings, attempt, () => 0))).toEqual([500, 1000, 2000, 4000, 4000, 4000]);
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(settings, attempt, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  describe('on a server that is down', () => {
    let manager: ConnectionManager | undefined;
    let fixture: HttpFixtureServer | undefined;
    afterEach(async () => {
      await manager?.stop();
      await fixture?.stop();
      manager = fixture = undefined;
    });

    it('retries on the backoff schedule, on injected time, and connects once the server is up', async () => {
      const port = await freePort();
      const timers = new ManualTimers();
      const made = managerFor([serverSettings('web', { url: `http://127.0.0.1:${port}/mcp`, connect_timeout: '5s' })], { timers, backoff: settings, random: () => 0.5 });
      manager = made.manager;
      manager.start();
      const status = () => manager!.status()[0]!;

      const schedule: number[] = [];
      for (let failure = 1; failure <= 5; failure++) {
        await waitFor(`failure ${failure} is recorded`, () => status().failures === failure && status().state === 'reconnecting');
        expect(status().lastError).toMatch(/could not connect/);
        schedule.push(status().nextRetryAt! - timers.now());
        // A turn listing tools now does not wait for the retry (it would hang here, on manual time).
        await manager!.ensureStarted();
        // Nothing happens before the delay is over.
        timers.advance(schedule.at(-1)! - 1);
        expect(status().failures).toBe(failure);
        if (failure < 5) timers.advance(1);
      }
      expect(schedule).toEqual([750, 1500, 3000, 6000, 6000]);

      fixture = new HttpFixtureServer({ port });
      await fixture.start();
      timers.advance(1);
      await waitFor('the server is connected', () => status().state === 'connected');
      expect(status()).toMatchObject({ tools: 3, lastError: undefined, nextRetryAt: undefined });
    });
  });
});
