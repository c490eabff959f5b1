import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeTerminal } from '../helpers/fake-terminal.js';
import { OnboardState } from '../../src/cli/commands/onboard/index.js';
import type { OnboardAnswers } from '../../src/cli/commands/onboard/onboard-answers.js';
import { Wizard, WizardCancelled } from '../../src/cli/commands/onboard/wizard.js';
import { tempDir } from '../helpers/fixtures.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});


describe('the onboarding wizard', () => {
  it('saves each answer as it is given, so Ctrl-C keeps them for the next run', async () => {
    const server = createServer((_req, res) => res.end('{"data":[{"id":"llama3.2"}]}'));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const state = new OnboardState(tempDir('nexus-home-'));
    const answers: OnboardAnswers = {};
    const t = fakeTerminal();
    const wizard = new Wizard(answers, state, {}, { input: t.input, output: t.output });

    const asking = (async () => {
      await wizard.model(await wizard.provider());
      await wizard.workspace('/srv/ws');
    })();
    await t.after('Which model provider?', '\x1b[B\x1b[B\r'); // down twice: OpenAI-compatible
    await t.after('Base URL', `${url}\r`);
    await t.after('API key', '\r');
    await t.after('Default model', '\r');
    await t.after('Workspace folder', '\x03'); // Ctrl-C
    await expect(asking).rejects.toBeInstanceOf(WizardCancelled);

    expect(state.load()).toEqual({ provider: 'compatible', baseUrl: url, model: 'llama3.2' });

    // The rerun offers every kept answer as the default: Enter alone resumes where it stopped.
    const resumed: OnboardAnswers = { ...state.load() };
    const again = fakeTerminal();
    const rerun = new Wizard(resumed, state, {}, { input: again.input, output: again.output });
    const resuming = (async () => {
      await rerun.model(await rerun.provider());
      await rerun.workspace('/srv/ws');
    })();
    await again.after('Which model provider?', '\r');
    await again.after('Base URL', '\r');
    await again.after('API key', '\r');
    await again.after('Default model', '\r');
    await again.after('Workspace folder', '\r');
    await resuming;
    expect(state.load()).toEqual({ provider: 'compatible', baseUrl: url, model: 'llama3.2', workspace: '/srv/ws' });
  });
});
