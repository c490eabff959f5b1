import { describe, expect, it } from 'vitest';
import { fakeTerminal } from '../helpers/fake-terminal.js';
import type { CliIo } from '../../src/cli/cli-context.js';
import { askConsent } from '../../src/cli/commands/plugin-packages/consent.js';
import type { CheckedPlugin } from '../../src/cli/commands/plugin-packages/staged-checks.js';

// The question `nexus plugins install` asks on a terminal, answered through a fake one.

const checked: CheckedPlugin = {
  manifest: { id: 'hello', name: 'Hello', version: '2.0.0', permissions: ['secrets', 'storage'] },
  warnings: [],
  permissions: ['secrets (sensitive, provided by vault)', 'storage (no plugin marks it sensitive)'],
  enabled: true,
  enabledBy: 'installed default (enabled)',
  runnable: true,
};


function capture(): { io: CliIo; out: () => string } {
  let out = '';
  return { io: { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: '/' }, out: () => out };
}

describe('the permissions question', () => {
  it('shows the permissions, those new in an update, and goes on after a yes', async () => {
    const t = fakeTerminal();
    const { io, out } = capture();
    const asking = askConsent(io, checked, 'folder /src/hello', { interactive: true, streams: t }, { id: 'hello', name: 'Hello', version: '1.0.0', permissions: ['secrets'] });
    await t.after('Update hello with these permissions?', 'y');
    await expect(asking).resolves.toBeUndefined();
    expect(out()).toBe(
      'Update Hello (hello) 1.0.0 -> 2.0.0 from folder /src/hello\n' +
        '  permissions: secrets (sensitive, provided by vault), storage (no plugin marks it sensitive)\n' +
        '  new in this version: storage\n',
    );
  });

  it('installs nothing on a no (the default) or Ctrl-C', async () => {
    for (const keys of ['\r', '\x03']) {
      const t = fakeTerminal();
      const asking = askConsent(capture().io, checked, 'npm package hello', { interactive: true, streams: t });
      await t.after('Install hello with these permissions?', keys);
      await expect(asking).rejects.toThrow('hello was not installed; nothing was changed');
    }
  });
});
