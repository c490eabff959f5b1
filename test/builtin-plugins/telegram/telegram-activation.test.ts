import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Kernel, MemoryLogger } from '../../../src/kernel/index.js';
import { configFromData } from '../../../src/kernel/config/index.js';
import { TELEGRAM_ACCOUNT_SCHEMA } from '../../../src/builtin-plugins/telegram/engine.js';
import { tempDir } from '../../helpers/fixtures.js';
import { telegramPluginDir } from './telegram-plugin-kit.js';

const manifest = JSON.parse(readFileSync(join(telegramPluginDir, 'nexus.plugin.json'), 'utf8')) as {
  contributes: { configSections: { section: string; schema: { $defs: { account: unknown } } }[] };
};

function kernelWith(settings: Record<string, unknown>): Kernel {
  return new Kernel({
    config: configFromData({ ...settings, plugins: { load: { paths: [telegramPluginDir] } } }),
    home: tempDir(),
    workspaceDir: tempDir(),
    builtinDirs: [],
    packageDirs: [],
    discoveryIndex: false,
    logger: new MemoryLogger(),
  });
}

describe('Telegram activation', () => {
  it('is installed but off, and never imported, until an account is configured', async () => {
    for (const settings of [{}, { channels: { telegram: {} } }, { channels: { telegram: { accounts: {} } } }]) {
      const kernel = kernelWith(settings);
      await kernel.start();
      expect(kernel.list().find((p) => p.id === 'telegram')).toMatchObject({ enabled: false, state: 'disabled' });
      await kernel.stop();
    }
    const configured = kernelWith({ channels: { telegram: { accounts: { main: { bot_token: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' } } } } });
    expect(configured.list().find((p) => p.id === 'telegram')).toMatchObject({ enabled: true });
    expect(configured.record('telegram')!.enabledBy).toBe('auto-enabled: config /channels/telegram/accounts is set');
  });

  it('declares in its manifest the very account schema the engine validates with', () => {
    const { $schema: _, ...account } = TELEGRAM_ACCOUNT_SCHEMA;
    const section = manifest.contributes.configSections.find((s) => s.section === 'channels.telegram')!;
    expect(section.schema.$defs.account).toEqual(account);
  });
});
