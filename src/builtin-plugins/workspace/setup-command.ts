import { resolve } from 'node:path';
import { inject, injectable } from '@nexus/plugin-sdk';
import { ConfigToken, type CliCommand, type CliCommandContext, type ConfigAccess } from '@nexus/plugin-sdk';
import { seedWorkspace } from './seed-files.js';
import { reportSetup } from './setup-report.js';
import { TEMPLATES } from './templates.js';
import { readWorkspaceSettings, workspaceDir, workspaceFiles } from './workspace-settings.js';

/** `nexus setup`: seeds the starter workspace files, never replacing one without --overwrite. */
@injectable()
export class SetupCommand implements CliCommand {
  readonly name = 'setup';

  constructor(@inject(ConfigToken) private readonly config: ConfigAccess) {}

  async run(ctx: CliCommandContext<Record<string, never>, { readonly workspace?: string; readonly overwrite: boolean; readonly json: boolean }>): Promise<number> {
    const args = ctx.options;

    const settings = readWorkspaceSettings(this.config);
    // A folder typed on the command line is relative to where the user typed it, not to the config file.
    const dir = args.workspace !== undefined ? resolve(args.workspace) : workspaceDir(settings, this.config.path ?? ctx.configPath);
    const files = workspaceFiles(settings, dir).map((file) => ({ file, content: TEMPLATES[file.kind] }));
    const result = await seedWorkspace({ dir, files, overwrite: args.overwrite, signal: ctx.signal });
    reportSetup(result, args.json, ctx);
    return result.dirFailure !== undefined || result.outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  }
}
