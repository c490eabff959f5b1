// `nexus plugins install | update | uninstall | verify`: plugin packages in $NEXUS_HOME/plugins.
export { pluginsInstall } from './install-command.js';
export { pluginsUninstall } from './uninstall-command.js';
export { pluginsUpdate } from './update-command.js';
export { pluginsVerify } from './verify-command.js';
