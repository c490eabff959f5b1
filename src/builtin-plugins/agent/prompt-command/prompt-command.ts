import { inject, injectable } from '@nexus/plugin-sdk';
import {
  PromptBuilderToken,
  ServicesToken,
  type CliCommand,
  type CliCommandContext,
  type PromptBuilder,
  type ServiceRegistry,
  type Session,
} from '@nexus/plugin-sdk';
import { promptContextFor } from '../prompt/prompt-context.js';
import { namedSession } from '../sessions-command/session-access.js';
import { promptJson, reportPrompt } from './prompt-report.js';

/** As the manifest declares them: `session` and `channel` are required, `message` defaults to ''. */
type PromptOptions = { readonly session: string; readonly channel: string; readonly message: string; readonly heartbeat: boolean; readonly json: boolean };

/**
 * `nexus prompt`: the system prompt the runtime would send, built by the same builder from the
 * same context, so what an operator debugs here is what the model gets.
 */
@injectable()
export class PromptCommand implements CliCommand {
  readonly name = 'prompt';

  constructor(
    @inject(PromptBuilderToken) private readonly prompts: PromptBuilder,
    @inject(ServicesToken) private readonly services: ServiceRegistry,
  ) {}

  async run(ctx: CliCommandContext<Record<string, never>, PromptOptions>): Promise<number> {
    const args = ctx.options;

    const session = await this.session(args.session, ctx);
    if (!session) return 1;
    if (session.channel !== args.channel) {
      ctx.stderr(`nexus prompt: note: session ${session.id} belongs to channel ${session.channel}; building the prompt for --channel ${args.channel} as asked\n`);
    }
    const context = promptContextFor(
      { sessionId: session.id, agentId: session.agentId, channel: args.channel, content: args.message, metadata: args.heartbeat ? { heartbeat: true } : {} },
      ctx.signal,
    );
    const assembled = await this.prompts.build(context);
    if (args.json) ctx.stdout(promptJson(assembled));
    else reportPrompt(assembled, ctx);
    return 0;
  }

  private async session(reference: string, ctx: CliCommandContext): Promise<Session | undefined> {
    try {
      return (await namedSession(this.services, reference)).session;
    } catch (error) {
      ctx.stderr(`nexus prompt: ${(error as Error).message}\n`);
      return undefined;
    }
  }
}
