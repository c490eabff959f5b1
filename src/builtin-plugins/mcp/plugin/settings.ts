import { dirname } from 'node:path';
import type { ConfigAccess } from '@nexus/plugin-sdk';
import { readMcpSettings, type McpSettings } from '../config/index.js';

/** The `mcp` section as the plugin uses it: relative `cwd` values resolve against the config file's folder. */
export function loadMcpSettings(config: ConfigAccess): McpSettings {
  return readMcpSettings(config.section('mcp'), { file: config.path, baseDir: config.path ? dirname(config.path) : process.cwd() });
}
