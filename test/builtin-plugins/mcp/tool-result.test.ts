import { describe, expect, it } from 'vitest';
import { promptToToolResult, resourceToToolResult, toToolResult } from '../../../src/builtin-plugins/mcp/bridge/index.js';

const PNG = Buffer.from('89504e470d0a1a0a', 'hex').toString('base64');
const files = { attachments: true };
const noFiles = { attachments: false };

describe('MCP results for the agent', () => {
  it('joins text blocks with newlines and keeps isError', () => {
    expect(toToolResult({ content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }], isError: true } as never, noFiles)).toEqual({ content: 'one\ntwo', isError: true });
  });

  it('turns images and audio into attachments with a mention in the text', () => {
    const result = toToolResult({ content: [{ type: 'text', text: 'chart:' }, { type: 'image', mimeType: 'image/png', data: PNG }, { type: 'audio', mimeType: 'audio/mpeg', data: PNG }] } as never, files);
    expect(result.content).toBe('chart:\n[image attached: image-1.png (image/png, 8 B)]\n[audio attached: audio-2.mp3 (audio/mpeg, 8 B)]');
    expect(result.attachments).toEqual([
      { name: 'image-1.png', mimeType: 'image/png', data: new Uint8Array(Buffer.from(PNG, 'base64')) },
      { name: 'audio-2.mp3', mimeType: 'audio/mpeg', data: new Uint8Array(Buffer.from(PNG, 'base64')) },
    ]);
  });

  it('leaves a note instead when the caller cannot carry attachments', () => {
    const result = toToolResult({ content: [{ type: 'image', mimeType: 'image/jpeg', data: PNG }] } as never, noFiles);
    expect(result).toEqual({ content: '[image left out (image/jpeg, 8 B): this conversation cannot carry attachments]', isError: false });
  });

  it('inlines embedded text resources and attaches binary ones under their file name', () => {
    const result = toToolResult(
      {
        content: [
          { type: 'resource', resource: { uri: 'file:///notes/todo.md', mimeType: 'text/markdown', text: '- buy milk' } },
          { type: 'resource', resource: { uri: 'file:///reports/q3.pdf', mimeType: 'application/pdf', blob: PNG } },
          { type: 'resource_link', uri: 'file:///big.csv', name: 'big.csv', mimeType: 'text/csv' },
        ],
      } as never,
      files,
    );
    expect(result.content).toBe('[resource file:///notes/todo.md (text/markdown)]\n- buy milk\n[resource attached: q3.pdf (application/pdf, 8 B)]\n[resource link: big.csv <file:///big.csv> (text/csv); read it with mcp_read_resource]');
    expect(result.attachments).toEqual([{ name: 'q3.pdf', mimeType: 'application/pdf', data: expect.any(Uint8Array) }]);
  });

  it('passes structured content along, and shows it as JSON when the server sent no text', () => {
    const withText = toToolResult({ content: [{ type: 'text', text: '{"t":21}' }], structuredContent: { t: 21 } } as never, noFiles);
    expect(withText).toEqual({ content: '{"t":21}', isError: false, structuredContent: { t: 21 } });
    const withoutText = toToolResult({ content: [], structuredContent: { t: 21 } } as never, noFiles);
    expect(withoutText.content).toBe('{\n  "t": 21\n}');
  });

  it('says so when a tool returned nothing, and names content types it cannot pass on', () => {
    expect(toToolResult({ content: [] } as never, noFiles).content).toBe('(the tool returned no content)');
    expect(toToolResult({ content: [{ type: 'hologram' }] } as never, noFiles).content).toBe('[content of type "hologram" left out: Nexus cannot pass it on]');
  });

  it('reads the toolResult of protocol 2024-10-07 servers', () => {
    expect(toToolResult({ toolResult: { ok: true } } as never, noFiles).content).toBe('{\n  "ok": true\n}');
  });

  it('renders resources and prompts', () => {
    expect(resourceToToolResult({ contents: [{ uri: 'memo://1', text: 'hi' }] }, noFiles).content).toBe('[resource memo://1]\nhi');
    const prompt = promptToToolResult({ description: 'Greets', messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }, { role: 'assistant', content: { type: 'image', mimeType: 'image/png', data: PNG } }] }, noFiles);
    expect(prompt.content).toBe('Greets\n--- user ---\nSay hi\n--- assistant ---\n[image left out (image/png, 8 B): this conversation cannot carry attachments]');
  });
});
