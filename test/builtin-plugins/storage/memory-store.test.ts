import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageMigratorToken } from '@nexus/plugin-sdk';
import { describeStoreContract } from '@nexus/plugin-sdk/storage';
import { memoryPluginDir, openThroughKernel, storeKernel, storesOf } from './storage-test-kit.js';

describeStoreContract('memory', (clock) => openThroughKernel(storeKernel(memoryPluginDir, { url: 'memory:' }, { clock })), { describe, it, expect, beforeEach, afterEach });

describe('storage-memory', () => {
  it('fills the storage slot when database.url is memory:, and keeps nothing between kernels', async () => {
    await using first = storeKernel(memoryPluginDir, { url: 'memory:' });
    await using second = storeKernel(memoryPluginDir, { url: 'memory:' });
    const a = await storesOf(first);
    const b = await storesOf(second);
    const session = await a.sessions.create({ agentId: 'm', channel: 'c', key: 'm:c:1' });
    await expect(b.sessions.get(session.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await first.services.get(StorageMigratorToken)).dialect).toBe('memory');
  });

  it('stays out of the slot when database.url names another database', () => {
    const kernel = storeKernel(memoryPluginDir, { url: 'postgres://db/nexus' });
    expect(kernel.summary()).toMatchObject({ enabled: false });
  });
});
