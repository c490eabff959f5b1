import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import {
  AgentStoreToken,
  ApiKeyStoreToken,
  ChannelConnectionStoreToken,
  ChannelPairingStoreToken,
  SafeguardStoreToken,
  SessionStoreToken,
  StorageMigratorToken,
  UserStoreToken,
  InboundReceiptStoreToken,
  type Clock,
} from '@nexus/plugin-sdk';
import type { StoreSet, StoreUnderTest } from '@nexus/plugin-sdk/storage';
import { createTestKernel, type TestKernel } from '../../../src/kernel/testing/index.js';
import { runCommandLine, type CommandRun } from '../../helpers/command-line.js';

const builtins = join(import.meta.dirname, '../../../src/builtin-plugins');
export const storagePluginDir = join(builtins, 'storage');
export const memoryPluginDir = join(builtins, 'storage-memory');
export const sqlitePluginDir = join(builtins, 'storage-sqlite');
export const postgresPluginDir = join(builtins, 'storage-postgres');

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh real folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-storage-'));
  temps.push(dir);
  return dir;
}

/**
 * A kernel with the storage settings plugin and one store plugin, configured by `database`.
 * Slot resolution decides as in production, so the config must select the plugin under test.
 */
export function storeKernel(plugin: string, database: Record<string, unknown>, extra: { readonly with?: readonly string[]; readonly clock?: Clock } = {}): TestKernel {
  return createTestKernel({ plugin, with: [storagePluginDir, ...(extra.with ?? [])], settings: { database }, ...(extra.clock ? { clock: extra.clock } : {}) });
}

export const notesPluginDir = join(import.meta.dirname, 'fixtures/notes-plugin');
export type NotesVariant = 'original' | 'edited' | 'broken';

/** A store plugin plus the `notes` fixture, which contributes migrations of its own (in `variant`). */
export function notesKernel(storePlugin: string, database: Record<string, unknown>, variant: NotesVariant = 'original'): TestKernel {
  return createTestKernel({ plugin: notesPluginDir, config: { variant }, with: [storagePluginDir, storePlugin], settings: { database } });
}

export const CORE_NAMES = ['core/0001_sessions', 'core/0002_accounts', 'core/0003_owners_and_roles', 'core/0004_inbound_receipts', 'core/0005_channel_pairings'];
export const NOTES_NAMES = ['notes/0001_notes', 'notes/0002_tags'];

export async function storesOf(kernel: TestKernel): Promise<StoreSet> {
  const [sessions, agents, channelConnections, users, apiKeys, inboundReceipts, channelPairings] = await Promise.all([
    kernel.services.get(SessionStoreToken),
    kernel.services.get(AgentStoreToken),
    kernel.services.get(ChannelConnectionStoreToken),
    kernel.services.get(UserStoreToken),
    kernel.services.get(ApiKeyStoreToken),
    kernel.services.get(InboundReceiptStoreToken),
    kernel.services.get(ChannelPairingStoreToken),
  ]);
  return { sessions, agents, channelConnections, users, apiKeys, inboundReceipts, channelPairings };
}

export async function openThroughKernel(kernel: TestKernel, dump?: () => Promise<string>): Promise<StoreUnderTest> {
  try {
    const stores = await storesOf(kernel);
    const migrator = await kernel.services.get(StorageMigratorToken);
    const safeguards = await kernel.services.get(SafeguardStoreToken);
    return { stores, migrator, safeguards, ...(dump ? { dump } : {}), close: () => kernel.stop() };
  } catch (error) {
    await kernel.stop();
    throw error;
  }
}

/** Runs `nexus migrate <argv>` as the CLI would: parsed against the storage manifest, then the storage plugin's contributed command. */
export async function runMigrate(kernel: TestKernel, argv: readonly string[]): Promise<CommandRun> {
  return runCommandLine(kernel, 'migrate', argv);
}

export type { CommandRun };
