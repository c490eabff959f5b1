import { CONTRIBUTION_KINDS, HOOKS, tokenId, type Diagnostic } from '@nexus/plugin-sdk';
import type { PluginManifest } from '../manifest/index.js';
import type { RegistrationRecord } from './registration-context.js';

/**
 * The manifest is the routing table: the kernel activates a plugin for a tool, channel or
 * service only because the manifest says it provides one. So `register` must bind exactly what
 * the manifest declares; both a missing and an undeclared binding are errors.
 */
export function checkRegistration(pluginId: string, manifestPath: string, manifest: PluginManifest, bound: RegistrationRecord): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const declared = manifest.contributes ?? {};
  const kindOf = new Map<symbol, string>(CONTRIBUTION_KINDS.map(({ kind, token }) => [token, kind]));

  const boundByKind = new Map<string, Set<string>>();
  for (const { point, name } of bound.contributions) {
    const kind = kindOf.get(point);
    if (!kind) {
      problems.push({
        level: 'error',
        code: 'plugin.unknown-contribution-point',
        message: `register() contributed "${name}" to ${tokenId(point)}, which is not a contribution point`,
        pluginId,
        source: { file: manifestPath },
        hint: `contribution points: ${[...new Set(CONTRIBUTION_KINDS.map((k) => tokenId(k.token)))].join(', ')}; use provide() for services`,
      });
      continue;
    }
    const set = boundByKind.get(kind) ?? new Set<string>();
    set.add(name);
    boundByKind.set(kind, set);
  }

  const kinds = new Set(CONTRIBUTION_KINDS.map((k) => k.kind));
  for (const kind of kinds) {
    const names = new Set(
      kind === 'httpRoutes'
        ? (declared.httpRoutes ?? []).map((r) => r.prefix)
        : ((declared as Record<string, { name: string }[] | undefined>)[kind] ?? []).map((c) => c.name),
    );
    const got = boundByKind.get(kind) ?? new Set<string>();
    for (const name of names) {
      if (!got.has(name)) problems.push(missing(pluginId, manifestPath, kind, name));
    }
    for (const name of got) {
      if (!names.has(name)) problems.push(undeclared(pluginId, manifestPath, kind, name));
    }
  }

  const services = new Set((declared.services ?? []).map((s) => s.name));
  for (const name of services) if (!bound.services.includes(name)) problems.push(missing(pluginId, manifestPath, 'services', name));
  for (const name of bound.services) if (!services.has(name)) problems.push(undeclared(pluginId, manifestPath, 'services', name));
  problems.push(...undeclaredHooks(pluginId, manifestPath, manifest, bound));
  return problems;
}

/**
 * Hooks a plugin must declare: every one it handles with a `HookHandlers` class, and every
 * modifying one. A modifying hook changes what other plugins and the model see, so it is
 * listed where operators read (`plugins info`) and activates the plugin before it is first run,
 * never only once something else happened to load it. Observing hooks may go undeclared: a
 * plugin active anyway (the gateway on `kernel.ready`) need not be activated by them.
 */
export function undeclaredHooks(pluginId: string, manifestPath: string, manifest: PluginManifest, bound: Pick<RegistrationRecord, 'hooks' | 'hookHandlers'>): Diagnostic[] {
  const declared = new Set((manifest.contributes?.hooks ?? []).map((h) => h.name));
  const mustDeclare = new Set([...bound.hookHandlers, ...bound.hooks.filter((name) => (HOOKS as Record<string, string>)[name] === 'modify')]);
  return [...mustDeclare].filter((name) => !declared.has(name)).map((name) => undeclared(pluginId, manifestPath, 'hooks', name));
}

function missing(pluginId: string, file: string, kind: string, name: string): Diagnostic {
  return {
    level: 'error',
    code: 'plugin.contribution-missing',
    message: `the manifest declares ${kind} "${name}", but register() did not bind it`,
    pluginId,
    source: { file, pointer: `/contributes/${kind}` },
    hint: kind === 'services' ? `call ctx.provide(token) for "${name}" in register()` : `call ctx.contribute(<token>, "${name}") in register(), or remove it from contributes.${kind}`,
  };
}

function undeclared(pluginId: string, file: string, kind: string, name: string): Diagnostic {
  return {
    level: 'error',
    code: 'plugin.contribution-undeclared',
    message: `register() bound ${kind} "${name}", which the manifest does not declare`,
    pluginId,
    source: { file, pointer: `/contributes/${kind}` },
    hint: `add { "${kind === 'httpRoutes' ? 'prefix' : 'name'}": "${name}" } to contributes.${kind} in nexus.plugin.json`,
  };
}
