import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MCP_SECTION_SCHEMA } from '../../../src/builtin-plugins/mcp/config/index.js';

const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '../../../src/builtin-plugins/mcp/nexus.plugin.json'), 'utf8')) as {
  contributes: { configSections: { section: string; schema: unknown }[] };
};

describe('the mcp manifest', () => {
  it('declares the mcp section with exactly the schema the settings reader is typed against', () => {
    expect(manifest.contributes.configSections).toEqual([{ section: 'mcp', schema: JSON.parse(JSON.stringify(MCP_SECTION_SCHEMA)) }]);
  });
});
