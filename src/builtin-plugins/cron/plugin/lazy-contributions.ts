import type { CliCommand, Clock, ToolSource } from '@nexus/plugin-sdk';
import { CRON_TOOL } from '../tool/cron-tool-declaration.js';
import type { CronHost } from './cron-host.js';

/** `nexus cron …`, loading the engine when run. */
export function cronCommand(host: CronHost, clock: Clock): CliCommand {
  return {
    name: 'cron',
    async run(ctx) {
      const { CronCommand } = await host.parts();
      return new CronCommand(await host.runtime(), clock).run(ctx);
    },
  };
}

/**
 * The agent's `cron` tool, offered through a tool source so that it is listed only while
 * `cron.agent_tool.enabled` is on (a manifest-declared tool would always be offered). Listing,
 * which every turn does, needs no engine; a call loads it.
 */
export function cronToolSource(host: CronHost, clock: Clock): ToolSource {
  return {
    async list() {
      return host.agentToolOn() ? [CRON_TOOL] : [];
    },
    async call(name, input, context) {
      const { CronToolCalls } = await host.parts();
      return new CronToolCalls(await host.runtime(), clock).call(name, input, context);
    },
  };
}
