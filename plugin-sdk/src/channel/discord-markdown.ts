import { parseBlocks, type Block } from './markdown-blocks.js';
import { parseInline, type Inline } from './markdown-inline.js';

/**
 * Markdown to Discord's dialect. Discord reads most of CommonMark, so this is nearly a
 * passthrough; the differences it fixes:
 * - `__text__` is underline on Discord, so Markdown's `__bold__` is written `**bold**`;
 * - headings deeper than `###` and tables do not render: bold lines and code blocks instead;
 * - literal `*`, `_`, `~`, `|` and backticks are escaped so they stay literal;
 * - `@everyone` and `@here` get a zero-width space, so a reply cannot ping a whole server
 *   (send with `allowed_mentions` as well: this is the belt to those braces).
 * Escaping can make the text a little longer than the Markdown, so chunk the converted text.
 */
export function markdownToDiscord(markdown: string): string {
  return renderBlocks(parseBlocks(markdown)).trim();
}

/** URLs and Discord's own tokens (<@123>, <#123>, <:emoji:123>, <t:1700000000:R>) are left alone. */
const VERBATIM = /https?:\/\/[^\s<>]+|<(?:@[!&]?\d+|#\d+|a?:\w+:\d+|\/[\w -]+:\d+|t:-?\d+(?::[tTdDfFR])?)>/g;

/** Escapes Discord's inline markup characters and defuses mass mentions. */
export function escapeDiscordText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(VERBATIM)) {
    out += escapeMarkup(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return (out + escapeMarkup(text.slice(last))).replace(/@(everyone|here)\b/g, '@\u200b$1');
}

function escapeMarkup(text: string): string {
  return text.replace(/[\\*_~`|]/g, '\\$&');
}

function renderBlocks(blocks: readonly Block[]): string {
  let out = '';
  blocks.forEach((block, i) => {
    if (i > 0) out += block.gap ? '\n\n' : '\n';
    out += renderBlock(block);
  });
  return out;
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      // A paragraph line that starts like a block (an escaped "\# not a heading") must stay text.
      return renderInline(parseInline(block.text)).replace(/^([ \t]*)(#|>|-(?=\s)|\d+\.(?=\s))/gm, '$1\\$2');
    case 'heading': {
      const text = renderInline(parseInline(block.text));
      if (text === '') return '';
      return block.level <= 3 ? `${'#'.repeat(block.level)} ${text}` : `**${text}**`;
    }
    case 'item':
      return `${block.indent}${block.ordered ? block.marker : '-'} ${renderInline(parseInline(block.text))}`;
    case 'rule':
      return '———';
    case 'code':
      return `\`\`\`${block.lang}\n${block.text.replace(/```/g, '`\u200b``')}\n\`\`\``;
    case 'table':
      return `\`\`\`\n${block.lines.join('\n').replace(/```/g, '`\u200b``')}\n\`\`\``;
    case 'quote':
      return renderBlocks(block.blocks)
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n');
  }
}

function renderInline(nodes: readonly Inline[]): string {
  return nodes.map(renderNode).join('');
}

function renderNode(node: Inline): string {
  switch (node.kind) {
    case 'text':
      return escapeDiscordText(node.text);
    case 'code': {
      const fence = node.text.includes('`') ? '``' : '`';
      const pad = node.text.startsWith('`') || node.text.endsWith('`') ? ' ' : '';
      return `${fence}${pad}${node.text}${pad}${fence}`;
    }
    case 'bold':
      return `**${renderInline(node.children)}**`;
    case 'italic':
      return `*${renderInline(node.children)}*`;
    case 'strike':
      return `~~${renderInline(node.children)}~~`;
    case 'spoiler':
      return `||${renderInline(node.children)}||`;
    case 'link': {
      const label = renderInline(node.children.flatMap((child) => (child.kind === 'link' ? child.children : [child])));
      return label === escapeDiscordText(node.href) ? `<${node.href}>` : `[${label.replace(/[[\]]/g, '\\$&')}](${node.href.replace(/[()\s]/g, encodeURIComponent)})`;
    }
  }
}
