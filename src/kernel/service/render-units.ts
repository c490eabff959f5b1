import { launchdLabel, launchdLogFiles, SERVICE_MARKER, SERVICE_PATH, systemdUnitName, type ServiceSpec } from './service-spec.js';

/**
 * The systemd user unit. `Restart=always` with a start limit (5 starts in 60 s) so a crash loop
 * stops instead of spinning; absolute paths only, since systemd does not expand `$HOME`.
 */
export function renderSystemdUnit(spec: ServiceSpec): string {
  const name = systemdUnitName(spec.profile);
  const command = [spec.nodePath, spec.cliPath, ...spec.args].map(systemdWord).join(' ');
  return [
    `# ${SERVICE_MARKER} (unit ${name}.service). \`nexus doctor --audit --repair\` rewrites stale paths;`,
    '# reinstall with `nexus service install` rather than editing by hand.',
    '[Unit]',
    `Description=Nexus gateway${spec.profile === undefined ? '' : ` (profile ${spec.profile})`}`,
    'After=network-online.target',
    'Wants=network-online.target',
    'StartLimitIntervalSec=60',
    'StartLimitBurst=5',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${command}`,
    `WorkingDirectory=${systemdWord(spec.nexusHome)}`,
    `Environment=${systemdWord(`PATH=${SERVICE_PATH}`)}`,
    `Environment=${systemdWord(`NEXUS_HOME=${spec.nexusHome}`)}`,
    'Restart=always',
    'RestartSec=5',
    'TimeoutStopSec=30',
    '',
    '[Install]',
    'WantedBy=default.target',
    '',
  ].join('\n');
}

/** The LaunchAgent: RunAtLoad and KeepAlive, output to files under `$NEXUS_HOME/logs`. */
export function renderLaunchAgent(spec: ServiceSpec): string {
  const logs = launchdLogFiles(spec.nexusHome, spec.profile);
  const string = (value: string) => `<string>${escapeXml(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${SERVICE_MARKER}. \`nexus doctor --audit --repair\` rewrites stale paths. -->`,
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${string(launchdLabel(spec.profile))}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...[spec.nodePath, spec.cliPath, ...spec.args].map((arg) => `    ${string(arg)}`),
    '  </array>',
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    '    <key>PATH</key>',
    `    ${string(SERVICE_PATH)}`,
    '    <key>NEXUS_HOME</key>',
    `    ${string(spec.nexusHome)}`,
    '  </dict>',
    '  <key>WorkingDirectory</key>',
    `  ${string(spec.nexusHome)}`,
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <true/>',
    '  <key>ThrottleInterval</key>',
    '  <integer>10</integer>',
    '  <key>StandardOutPath</key>',
    `  ${string(logs.out)}`,
    '  <key>StandardErrorPath</key>',
    `  ${string(logs.err)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** One word of a systemd command line: `%` escaped, quoted when it holds spaces or quotes. */
function systemdWord(word: string): string {
  const escaped = word.replace(/%/g, '%%');
  return /[\s"'\\]/.test(escaped) ? `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : escaped;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
