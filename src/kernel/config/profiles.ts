import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from '../host/index.js';
import { activeProfileFile, profilePath, readActiveProfile } from './config-source.js';

export interface ProfileInfo {
  readonly name: string;
  readonly path: string;
  readonly active: boolean;
}

/** Profiles are whole config files under `$NEXUS_HOME/profiles/<name>.yaml`. */
export function listProfiles(home: string): ProfileInfo[] {
  const dir = join(home, 'profiles');
  const active = readActiveProfile(home);
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)) : [];
  return names.sort().map((name) => ({ name, path: profilePath(home, name), active: name === active }));
}

/** Makes `name` the active profile; it must exist. `undefined` clears the choice. */
export function useProfile(home: string, name: string | undefined): void {
  const file = activeProfileFile(home);
  if (name === undefined) {
    rmSync(file, { force: true });
    return;
  }
  const path = profilePath(home, name);
  if (!existsSync(path)) throw new Error(`no profile "${name}" (expected ${path}); create it with \`nexus profile init ${name}\``);
  writeAtomically(file, `${name}\n`);
}

const PROVIDER_TEMPLATES: Record<string, string> = {
  anthropic: 'anthropic:\n      api_key: ${ANTHROPIC_API_KEY}\n      default_model: claude-sonnet-4-5',
  openai: 'openai:\n      api_key: ${OPENAI_API_KEY}\n      default_model: gpt-4o',
  ollama: 'ollama:\n      type: openai\n      base_url: http://127.0.0.1:11434/v1\n      default_model: llama3.1',
};

export const PROFILE_PROVIDERS = Object.keys(PROVIDER_TEMPLATES);

/** Writes a starter profile; refuses to replace an existing one. Returns its path. */
export function initProfile(home: string, name: string, provider: string | undefined): string {
  const path = profilePath(home, name);
  if (existsSync(path)) throw new Error(`profile "${name}" already exists at ${path}`);
  if (provider !== undefined && !(provider in PROVIDER_TEMPLATES)) {
    throw new Error(`unknown provider "${provider}"; choose one of ${PROFILE_PROVIDERS.join(', ')}`);
  }
  const llm = provider
    ? `llm:\n  default_provider: ${provider}\n  providers:\n    ${PROVIDER_TEMPLATES[provider]}\n`
    : '# llm:\n#   default_provider: anthropic\n#   providers:\n#     anthropic:\n#       api_key: ${ANTHROPIC_API_KEY}\n';
  const text = `# Nexus profile "${name}". Select it with \`nexus --profile ${name} …\`,\n# NEXUS_PROFILE=${name}, or \`nexus profile use ${name}\`.\nversion: 1\n\n${llm}`;
  writeAtomically(path, text);
  return path;
}
