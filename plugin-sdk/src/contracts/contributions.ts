import { ChannelCapabilityTokens } from './channel.js';
import { CliCommands } from './cli.js';
import { DoctorChecks } from './doctor.js';
import { HttpRoutes, type HttpRoute, type HttpRouteDeclaration } from './http.js';
import { LlmProviders } from './llm-provider.js';
import { Migrations } from './migrations.js';
import { PromptSections } from './prompt.js';
import { Tools, ToolSources, type Tool, type ToolDeclaration } from './tool.js';
import { createToken, type Token } from './tokens.js';

/**
 * Which `contributes.<kind>` list in the manifest declares the names a contribution token is
 * bound under. The kernel checks that a plugin binds exactly what its manifest declares, and
 * uses the manifest to know which plugin to activate for a name without loading any code.
 */
export const CONTRIBUTION_KINDS = [
  { kind: 'tools', token: Tools },
  { kind: 'toolSources', token: ToolSources },
  { kind: 'providers', token: LlmProviders },
  { kind: 'commands', token: CliCommands },
  { kind: 'httpRoutes', token: HttpRoutes },
  { kind: 'doctorChecks', token: DoctorChecks },
  { kind: 'promptSections', token: PromptSections },
  { kind: 'migrations', token: Migrations },
  ...Object.values(ChannelCapabilityTokens).map((token) => ({ kind: 'channels' as const, token })),
] as const;

export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number]['kind'];

/** A contribution's manifest entry, for kinds whose entries are a name and a description. */
export interface NamedDeclaration {
  readonly name: string;
  readonly description?: string;
}

/** What the manifest states about a contribution of type `T`: a tool's or a route's static facts. */
export type DeclarationOf<T> = T extends Tool ? ToolDeclaration : T extends HttpRoute ? HttpRouteDeclaration : NamedDeclaration;

/** A manifest entry, with the plugin that declares it. */
export type Declared<T> = DeclarationOf<T> & { readonly pluginId: string };

export interface Contribution<T> {
  readonly name: string;
  readonly pluginId: string;
  readonly value: T;
}

/**
 * Lazy access to what plugins contribute. `names` reads manifests only; `get` and `getAll`
 * activate the owning plugins (and only those) on first use.
 */
export interface ContributionRegistry {
  /** Names declared for this point by enabled plugins, without loading any code. */
  names(point: Token<unknown>): readonly string[];
  /**
   * What the owner's manifest states about `name` (a tool's description and input schema, a
   * route's auth policy), without loading any code; `undefined` when no runnable plugin declares it.
   * This, not the object, is what the host acts on.
   */
  declared<T>(point: Token<T>, name: string): Declared<T> | undefined;
  /**
   * Every declaration for this point, one per name `names` gives, without loading any code. The
   * same array comes back while the plugins and their states are unchanged, so what a caller
   * derives from it (the tool list a turn offers, say) can be cached on its identity.
   */
  declarations<T>(point: Token<T>): readonly Declared<T>[];
  /** Whether some enabled plugin declares `name` for this point and can provide it. */
  has(point: Token<unknown>, name: string): boolean;
  /** Activates the owner of `name` and returns its contribution. Rejects with a clear error if none. */
  get<T>(point: Token<T>, name: string): Promise<T>;
  /**
   * Activates every owner for this point. Plugins that fail are reported and skipped. Each
   * contribution is resolved once per activation of its plugin (as Theia's contribution providers
   * do): later calls hand back the same values until an owner stops, fails, is reloaded, or the
   * plugin set changes. Keep per-call state out of contributions (a tool's `execute` gets what
   * it needs as arguments).
   */
  getAll<T>(point: Token<T>): Promise<readonly Contribution<T>[]>;
}

export const ContributionsToken = createToken<ContributionRegistry>('nexus.contributions');

/** Cross-plugin services (`contributes.services`), resolved by activating their provider. */
export interface ServiceRegistry {
  /** The service bound to `token`, activating the plugin that provides it (or the slot occupant). */
  get<T>(token: Token<T>): Promise<T>;
  /** Whether an enabled plugin (or the kernel) provides `token`. Reads manifests only. */
  has(token: Token<unknown>): boolean;
}

export const ServicesToken = createToken<ServiceRegistry>('nexus.services');
