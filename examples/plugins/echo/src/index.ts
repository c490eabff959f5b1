import { definePlugin, inject, injectable, PluginConfigToken, Tools, type Tool, type ToolResult } from '@nexus/plugin-sdk';
import type { EchoConfig } from './config-schema.js';

export { echoConfigSchema, type EchoConfig } from './config-schema.js';

export interface EchoInput {
  readonly text: string;
}

@injectable()
export class EchoTool implements Tool<EchoInput> {
  readonly name = 'echo';
  readonly description = 'Repeats the given text, after the configured prefix.';
  readonly inputSchema = {
    type: 'object',
    additionalProperties: false,
    required: ['text'],
    properties: { text: { type: 'string', description: 'What to echo back.' } },
  };

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
