import { CliCommands, definePlugin, DoctorChecks } from '../../contracts/index.js';
import { SetupCommand } from './setup-command.js';
import { WorkspaceFilesCheck } from './workspace-files-check.js';

/**
 * The workspace plugin: its manifest owns the workspace, identity and user sections; its code
 * seeds the workspace files (`nexus setup`) and checks them (`nexus doctor`). It keeps nothing
 * running, so it needs no activate or deactivate.
 */
export default definePlugin({
  register(ctx) {
    ctx.contribute(CliCommands, 'setup').to(SetupCommand);
    ctx.contribute(DoctorChecks, 'workspace-files').to(WorkspaceFilesCheck);
  },
});
