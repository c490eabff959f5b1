import { existsSync, readFileSync, statSync } from 'node:fs';
import type { Diagnostic } from '@nexus/plugin-sdk';
import { Kernel, parseConfigText, writeAtomically, yamlModule } from '../../../kernel/index.js';
import { configProblems } from '../config.js';
import { entryId, entryType, type ProviderKind } from './provider-choice.js';

export interface ProviderAnswers {
  readonly provider: ProviderKind;
  readonly baseUrl?: string;
  readonly apiKey?: string;
  readonly model: string;
  readonly workspace: string;
}

export interface ConfigPlan {
  readonly path: string;
  readonly existed: boolean;
  readonly text: string;
  /** Errors of the composed schema (every plugin's section) in the config as it would be written. */
  readonly errors: readonly Diagnostic[];
}

/**
 * The config file as onboarding would leave it: the current file (comments and order kept, via
 * the yaml Document API) with the provider entry, llm.default_provider and workspace.path set,
 * validated by a kernel against the composed schema. Nothing is written here.
 */
export function planConfig(path: string, answers: ProviderAnswers, kernelOptions: { home: string; workspaceDir: string; env: NodeJS.ProcessEnv }): ConfigPlan {
  const existed = existsSync(path);
  const current = existed ? readFileSync(path, 'utf8') : '';
  if (existed) parseConfigText(current, path); // a file that does not parse is reported with positions, untouched
  const { parseDocument, isMap } = yamlModule();
  const doc = parseDocument(current);
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { path, existed, text: current, errors: [{ level: 'error', code: 'config.not-a-mapping', message: `${path} is not a YAML mapping`, source: { file: path } }] };
  }
  if (!existed) doc.commentBefore = ' Written by `nexus onboard`. Reference: `nexus config schema --markdown`.';
  const id = entryId(answers.provider);
  const entry = ['llm', 'providers', id];
  doc.setIn(['llm', 'default_provider'], id);
  doc.setIn([...entry, 'type'], entryType(answers.provider));
  if (answers.apiKey) doc.setIn([...entry, 'api_key'], answers.apiKey);
  if (answers.baseUrl) doc.setIn([...entry, 'base_url'], answers.baseUrl);
  doc.setIn([...entry, 'default_model'], answers.model);
  doc.setIn(['workspace', 'path'], answers.workspace);
  const text = doc.toString({ flowCollectionPadding: false });

  // The environment's own overrides are left out: the file must be valid on its own.
  const env = Object.fromEntries(Object.entries(kernelOptions.env).filter(([name]) => !name.startsWith('NEXUS_')));
  const config = parseConfigText(text, path, { env });
  const kernel = new Kernel({ config, home: kernelOptions.home, workspaceDir: kernelOptions.workspaceDir, checkAllConfig: true, discoveryIndex: false });
  const errors = [...config.diagnostics, ...configProblems(kernel)].filter((d) => d.level === 'error');
  return { path, existed, text, errors };
}

/**
 * Writes the planned file: the previous one is kept as `<file>.bak`, the new one replaces it in
 * one rename, and it is owner-only (0600) because it holds the provider key.
 */
export function writeConfig(plan: ConfigPlan): { readonly backup?: string; readonly tightened: boolean } {
  let backup: string | undefined;
  let tightened = false;
  if (plan.existed) {
    backup = `${plan.path}.bak`;
    const mode = statSync(plan.path).mode & 0o7777;
    writeAtomically(backup, readFileSync(plan.path, 'utf8'), mode & 0o600);
    tightened = (mode & 0o077) !== 0;
  }
  writeAtomically(plan.path, plan.text, 0o600);
  return { ...(backup ? { backup } : {}), tightened };
}
