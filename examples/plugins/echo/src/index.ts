import { definePlugin, inject, injectable, PluginConfigToken, Tools, type Tool, type ToolResult } from '@nexus/plugin-sdk';
import type { EchoConfig } from './config-schema.js';

export { echoConfigSchema, type EchoConfig } from './config-schema.js';

export interface EchoInput {
  readonly text: string;
}

/**
 * The implementation of the `echo` tool. Its description and input schema are in
 * nexus.plugin.json, which is all the runtime needs to offer it: this module is imported only
 * when the model calls the tool, and `text` has been checked against that schema by then.
 */
@injectable()
export class EchoTool implements Tool<EchoInput> {
  constructor(@inject(PluginConfigToken) private readonly config: EchoConfig) {}

  async execute(input: EchoInput): Promise<ToolResult> {
    return { content: `${this.config.prefix}${input.text}` };
  }
}

export default definePlugin<EchoConfig>({
  register(ctx) {
    ctx.contribute(Tools, 'echo').to(EchoTool);
  },
});
