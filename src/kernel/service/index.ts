export { renderLaunchAgent, renderSystemdUnit } from './render-units.js';
export {
  isVersionManagerPath,
  launchAgentsDir,
  launchdLabel,
  launchdLogFiles,
  SERVICE_MARKER,
  SERVICE_PATH,
  systemdUnitName,
  systemdUserDir,
  type ServiceSpec,
} from './service-spec.js';
