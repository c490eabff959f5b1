import { createHash } from 'node:crypto';

/** The longest tool name both Anthropic and OpenAI accept (`^[a-zA-Z0-9_-]{1,64}$`). */
export const MAX_TOOL_NAME = 64;
const HASH_LENGTH = 8;

/**
 * The Go original's `sanitize`: letters and digits lowercased, any run of other characters one
 * `_`, `_` trimmed from both ends, `tool` when nothing is left. Go kept Unicode letters, which
 * providers reject; here accents are folded first (`é` → `e`) and any other non-ASCII
 * character counts as "other".
 */
export function sanitizeNamePart(part: string): string {
  const folded = part.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const cleaned = folded.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return cleaned === '' ? 'tool' : cleaned;
}

function hash8(serverId: string, toolName: string): string {
  return createHash('sha1').update(`${serverId}:${toolName}`).digest('hex').slice(0, HASH_LENGTH);
}

function clamp(name: string, hash: string): string {
  return name.length <= MAX_TOOL_NAME ? name : `${name.slice(0, MAX_TOOL_NAME - HASH_LENGTH - 1)}_${hash}`;
}

/** `mcp_<server>_<tool>`, sanitised and clamped to 64 characters with a hash suffix, as Go did. */
export function baseToolName(serverId: string, toolName: string): string {
  return clamp(`mcp_${sanitizeNamePart(serverId)}_${sanitizeNamePart(toolName)}`, hash8(serverId, toolName));
}

/**
 * Hands out unique, provider-safe names. A name already taken gets `_<hash>` (Go's rule), and
 * in the one case that still collides (two different tools whose 8-character hashes clash) a
 * counter. Every name starts with `mcp_`, so with a letter.
 */
export class ToolNameAllocator {
  private readonly taken = new Set<string>();

  constructor(reserved: Iterable<string> = []) {
    for (const name of reserved) this.taken.add(name);
  }

  allocate(serverId: string, toolName: string): string {
    const hash = hash8(serverId, toolName);
    let name = baseToolName(serverId, toolName);
    if (this.taken.has(name)) name = clamp(`${name}_${hash}`, hash);
    const candidate = name;
    for (let n = 2; this.taken.has(name); n++) {
      const suffix = `_${n}`;
      name = `${candidate.slice(0, MAX_TOOL_NAME - suffix.length)}${suffix}`;
    }
    this.taken.add(name);
    return name;
  }
}

/** Anthropic's and OpenAI's rule for a tool name, plus ours: a letter first. */
export function isProviderSafeToolName(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(name);
}
