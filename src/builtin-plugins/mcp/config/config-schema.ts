import { DURATION_PATTERN } from '@nexus/plugin-sdk';
/**
 * The `mcp` configuration section (JSON Schema draft 2020-12), as a literal the compiler reads; the
 * manifest's `configSections` holds the same object (test/builtin-plugins/mcp/manifest.test.ts
 * keeps the two equal). The kind-specific keys (args, env, headers, transport) carry no schema
 * default: the host applies defaults, and a stdio server must not be given `headers: {}`.
 * `readMcpSettings` checks what a schema cannot say well (a server is either `command` or
 * `url`, never both) and reports it with a JSON pointer.
 *
 * Durations are strings like `30s`, as elsewhere in Nexus (`agent.tool_timeout`).
 */

const DURATION = { type: 'string', pattern: DURATION_PATTERN } as const;

const TOOL_FILTER = {
  description:
    'Which of the server\'s tools the agent sees, by the server\'s own tool names. Each entry is an exact name or a glob with * (any run of characters) and ? (one character). A tool is offered when it matches include (or include is left out) and matches no exclude entry.',
  type: 'object',
  additionalProperties: false,
  properties: {
    include: { description: 'Names or globs of the tools to offer; leave out to offer every tool.', type: 'array', items: { type: 'string', minLength: 1 } },
    exclude: { description: 'Names or globs of tools never to offer; wins over include.', type: 'array', items: { type: 'string', minLength: 1 }, default: [] },
  },
} as const;

const SERVER = {
  description:
    'One MCP server. A local server gives `command` (run over stdio, owned by Nexus and killed with its process group on stop); a remote one gives `url` (streamable HTTP, or legacy SSE with transport: sse). Never both.',
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: { description: 'Set false to keep the entry but not connect.', type: 'boolean', default: true },
    command: { description: 'stdio: the program to run, found on PATH unless it is a path, e.g. npx or /usr/local/bin/my-server.', type: 'string', minLength: 1 },
    args: { description: 'stdio: arguments to the command (none when left out).', type: 'array', items: { type: 'string' } },
    env: {
      description: 'stdio: environment variables for the server, added to a minimal inherited set (HOME, PATH, SHELL, TERM, USER, LOGNAME). Values may use ${VAR}; they are secrets and never shown back.',
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
      additionalProperties: { type: 'string', writeOnly: true },
    },
    cwd: { description: 'stdio: the working folder of the server; a relative path resolves against the configuration file\'s folder.', type: 'string', minLength: 1 },
    url: { description: 'HTTP: the server\'s MCP endpoint, http:// or https://.', type: 'string', format: 'uri', pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' },
    transport: {
      description: 'HTTP: streamable-http (the current MCP transport, the default) or sse (the deprecated HTTP+SSE transport of protocol 2024-11-05).',
      type: 'string',
      enum: ['streamable-http', 'sse'],
    },
    headers: {
      description: 'HTTP: headers sent with every request, e.g. Authorization. Values may use ${VAR}; they are secrets and never shown back.',
      type: 'object',
      propertyNames: { pattern: '^[!#$%&\'*+.^_`|~0-9A-Za-z-]+$' },
      additionalProperties: { type: 'string', writeOnly: true },
    },
    connect_timeout: { ...DURATION, description: 'How long starting the server, the MCP handshake and the first tool listing may take, e.g. 60s.', default: '60s' },
    request_timeout: { ...DURATION, description: 'How long one request to the server (a tool call, a listing) may take, e.g. 60s. The agent\'s tool_timeout also applies to tool calls.', default: '60s' },
    start: {
      description: 'eager: connect when the gateway starts, in the background (start-up does not wait). lazy: connect on the first turn that lists tools. Either way, a turn waits (within connect_timeout) for a server\'s first connection attempt still under way, never for later retries.',
      type: 'string',
      enum: ['eager', 'lazy'],
      default: 'eager',
    },
    tools: { ...TOOL_FILTER, default: {} },
  },
} as const;

const NEXUS_SERVER = {
  description: 'Nexus as an MCP server: the agent\'s own tools (not the ones bridged from MCP servers) and send_message, over streamable HTTP at /mcp behind the gateway\'s auth, and over stdio with `nexus mcp serve --stdio`.',
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    enabled: { description: 'Off by default: turn it on to serve /mcp and allow `nexus mcp serve --stdio`.', type: 'boolean', default: false },
    tools: { ...TOOL_FILTER, description: 'Which of the agent\'s tools MCP clients see, by tool name (exact or glob with * and ?). Exclude wins over include.', default: {} },
    send_message: { description: 'Offer the send_message tool, which runs an agent turn in a session and returns the reply.', type: 'boolean', default: true },
    max_sessions: { description: 'Most MCP sessions open at once over HTTP; an initialize beyond it is answered 503.', type: 'integer', minimum: 1, maximum: 10000, default: 64 },
    session_idle_timeout: { ...DURATION, description: 'An HTTP session with no request for this long is closed, e.g. 30m.', default: '30m' },
    allowed_origins: {
      description: 'Browser origins (scheme://host[:port]) allowed to call /mcp besides the server\'s own. A request carrying any other Origin header is refused (DNS-rebinding protection); clients that send no Origin are unaffected.',
      type: 'array',
      items: { type: 'string', pattern: '^https?://[^/]+$' },
      default: [],
    },
    allowed_hosts: {
      description: 'Host header values (name or name:port) accepted on a loopback socket besides localhost, 127.0.0.1 and [::1]: for a reverse proxy on this machine that forwards its own Host. Any other Host on a loopback socket is refused (DNS-rebinding protection).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
      default: [],
    },
  },
} as const;

export const MCP_SECTION_SCHEMA = {
  description: 'The MCP bridge: MCP servers whose tools the agent can call, and Nexus\'s own MCP server.',
  type: 'object',
  additionalProperties: false,
  default: {},
  properties: {
    servers: {
      description: 'MCP servers keyed by an id of your choice; tools appear to the agent as mcp_<id>_<tool>.',
      type: 'object',
      default: {},
      propertyNames: { pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$' },
      additionalProperties: { $ref: '#/$defs/server' },
    },
    server: NEXUS_SERVER,
  },
  $defs: { server: SERVER },
} as const;
