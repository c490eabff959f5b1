import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { baseToolName, isProviderSafeToolName, sanitizeNamePart, ToolNameAllocator } from '../../../src/builtin-plugins/mcp/bridge/index.js';

/** Both providers' documented rule for a tool name. */
const ANTHROPIC = /^[a-zA-Z0-9_-]{1,64}$/;
const OPENAI = /^[a-zA-Z0-9_-]{1,64}$/;
const sha8 = (server: string, tool: string) => createHash('sha1').update(`${server}:${tool}`).digest('hex').slice(0, 8);

describe('MCP tool names', () => {
  it('follows the Go reference cases', () => {
    expect(baseToolName('git-hub', 'search/repo')).toBe('mcp_git_hub_search_repo');
    const names = new ToolNameAllocator();
    const dashed = names.allocate('srv', 'foo-bar');
    const underscored = names.allocate('srv', 'foo_bar');
    expect(dashed).toBe('mcp_srv_foo_bar');
    expect(underscored).toBe(`mcp_srv_foo_bar_${sha8('srv', 'foo_bar')}`);
    expect(underscored).not.toBe(dashed);
  });

  it('clamps a long name to 64 characters with the Go hash suffix', () => {
    const long = 'a_very_long_tool_name_that_keeps_going_and_going_well_past_the_limit';
    const name = baseToolName('analytics-warehouse', long);
    expect(name).toBe('mcp_analytics_warehouse_a_very_long_tool_name_that_keep_91981b38');
    expect(name).toHaveLength(64);
    expect(name.endsWith(`_${sha8('analytics-warehouse', long)}`)).toBe(true);
  });

  it.each([
    ['Café', 'Überprüfen', 'mcp_cafe_uberprufen'],
    ['srv', '搜索', 'mcp_srv_tool'],
    ['!!!', '---', 'mcp_tool_tool'],
    ['My Server', 'Get.Weather (v2)', 'mcp_my_server_get_weather_v2'],
    ['a', '__x__', 'mcp_a_x'],
    ['GitHub', 'createIssue', 'mcp_github_createissue'],
  ])('sanitises %s / %s to %s', (server, tool, expected) => {
    expect(baseToolName(server, tool)).toBe(expected);
  });

  it('gives the generic tools\' names to no server tool', () => {
    const names = new ToolNameAllocator(['mcp_read_resource', 'mcp_get_prompt']);
    expect(names.allocate('read', 'resource')).toBe(`mcp_read_resource_${sha8('read', 'resource')}`);
    expect(names.allocate('get', 'prompt')).toBe(`mcp_get_prompt_${sha8('get', 'prompt')}`);
  });

  it('falls back to a counter when even the hashed name is taken', () => {
    const hashed = `mcp_srv_x_${sha8('srv', 'x')}`;
    const names = new ToolNameAllocator(['mcp_srv_x', hashed]);
    expect(names.allocate('srv', 'x')).toBe(`${hashed}_2`);
  });

  it('always produces unique names that start with a letter and that both providers accept', () => {
    // A deterministic pseudo-random mix of awkward characters, lengths and clashes.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['a', 'Z', '0', '-', '_', '.', '/', ' ', 'é', '搜', '🙂', 'x', 'y'];
    const word = (max: number) => Array.from({ length: Math.floor(next() * max) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const names = new ToolNameAllocator(['mcp_read_resource', 'mcp_get_prompt']);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const name = names.allocate(word(12) || 's', word(90));
      expect(name).toMatch(ANTHROPIC);
      expect(name).toMatch(OPENAI);
      expect(isProviderSafeToolName(name)).toBe(true);
      expect(seen.has(name)).toBe(false);
      seen.add(name);
    }
  });

  it('sanitises a part like Go: lower case, runs of others to one _, trimmed, "tool" when empty', () => {
    expect(sanitizeNamePart('  Hello--World__Again  ')).toBe('hello_world_again');
    expect(sanitizeNamePart('')).toBe('tool');
  });
});
