import type { HttpRouteDeclaration } from '@nexus/plugin-sdk';

/** The parsed shape of `nexus.plugin.json`; `schemas/plugin-manifest.schema.json` is the source of truth. */
import type { CliCommandDeclaration } from '@nexus/plugin-sdk';

export interface NamedContribution {
  readonly name: string;
  readonly description?: string;
}

/** A hook the plugin subscribes to; `priority` orders its `HookHandlers` class among a modifying hook's handlers. */
export interface HookDeclaration extends NamedContribution {
  readonly priority?: number;
}

export interface ServiceDeclaration extends NamedContribution {
  /** Only plugins that list the service under `permissions` may resolve it. */
  readonly sensitive?: boolean;
}

/** A tool in `contributes.tools`: everything the model is told, so it is offered without loading code. */
export interface ToolManifestEntry extends NamedContribution {
  /** Absent: the tool takes no arguments. */
  readonly inputSchema?: Record<string, unknown>;
  readonly timeoutMs?: number;
}

export type { HttpRouteDeclaration };

/** A test on one config value, addressed by JSON pointer. */
export interface ConfigCondition {
  readonly pointer: string;
  readonly matches?: string;
  readonly empty?: boolean;
  /** The value is exactly this (a switch: `/memory/enabled` equals `true`). */
  readonly equals?: boolean | number | string;
}

export interface SlotClaim {
  readonly slot: string;
  readonly when?: ConfigCondition;
  readonly default?: boolean;
}

export interface ConfigSectionDeclaration {
  readonly section: string;
  readonly schema: Record<string, unknown>;
}

export interface ManifestContributions {
  readonly channels?: readonly NamedContribution[];
  readonly tools?: readonly ToolManifestEntry[];
  readonly toolSources?: readonly NamedContribution[];
  readonly providers?: readonly NamedContribution[];
  readonly hooks?: readonly HookDeclaration[];
  readonly services?: readonly ServiceDeclaration[];
  /** Each with its arguments, options and sub-commands: the CLI parses and documents them from here. */
  readonly commands?: readonly CliCommandDeclaration[];
  readonly doctorChecks?: readonly NamedContribution[];
  readonly promptSections?: readonly NamedContribution[];
  readonly migrations?: readonly NamedContribution[];
  readonly httpRoutes?: readonly HttpRouteDeclaration[];
  readonly slots?: readonly SlotClaim[];
  readonly configSections?: readonly ConfigSectionDeclaration[];
}

export interface PluginManifest {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  /** Absent for a declarative plugin (config sections only). */
  readonly main?: string;
  readonly enabledByDefault?: boolean;
  readonly autoEnable?: readonly ConfigCondition[];
  readonly engines?: { readonly nexus?: string };
  readonly activation?: readonly string[];
  readonly contributes?: ManifestContributions;
  readonly requires?: Readonly<Record<string, string>>;
  /** Sensitive service ids this plugin may resolve. */
  readonly permissions?: readonly string[];
  readonly configSchema?: Record<string, unknown>;
}

export const MANIFEST_FILE = 'nexus.plugin.json';
