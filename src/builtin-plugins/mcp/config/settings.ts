/** Which tools of a server are offered, by the server's own names (exact or `*`/`?` globs). */
export interface ToolFilterSettings {
  /** Undefined offers every tool. */
  readonly include?: readonly string[];
  readonly exclude: readonly string[];
}

interface CommonServerSettings {
  /** The key under `mcp.servers`. */
  readonly id: string;
  readonly enabled: boolean;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly start: 'eager' | 'lazy';
  readonly tools: ToolFilterSettings;
}

export interface StdioServerSettings extends CommonServerSettings {
  readonly transport: 'stdio';
  readonly command: string;
  readonly args: readonly string[];
  /** Secrets: never log them. */
  readonly env: Readonly<Record<string, string>>;
  /** Absolute, when set. */
  readonly cwd?: string;
}

export interface HttpServerSettings extends CommonServerSettings {
  readonly transport: 'streamable-http' | 'sse';
  readonly url: string;
  /** Secrets: never log them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** One `mcp.servers.<id>` entry, checked, with defaults applied and durations in milliseconds. */
export type McpServerSettings = StdioServerSettings | HttpServerSettings;

/** `mcp.server`: Nexus as an MCP server. */
export interface NexusMcpServerSettings {
  readonly enabled: boolean;
  readonly tools: ToolFilterSettings;
  readonly sendMessage: boolean;
  readonly maxSessions: number;
  readonly sessionIdleTimeoutMs: number;
  readonly allowedOrigins: readonly string[];
  readonly allowedHosts: readonly string[];
}
