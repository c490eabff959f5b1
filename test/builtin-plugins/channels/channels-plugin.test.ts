import { describe, expect, it } from 'vitest';
import { verifyPluginContract } from '../../../src/kernel/testing/index.js';
import { channelsDir } from './channels-test-kit.js';

describe('the channels plugin', () => {
  it('binds exactly what its manifest declares', async () => {
    const report = await verifyPluginContract({ plugin: channelsDir });
    expect(report.problems).toEqual([]);
    expect(report.resolved).toEqual(['commands:channels', 'doctorChecks:channels-policy']);
  });
});
