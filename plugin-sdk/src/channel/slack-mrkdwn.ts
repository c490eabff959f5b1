import { parseBlocks, type Block } from './markdown-blocks.js';
import { parseInline, type Inline } from './markdown-inline.js';

/**
 * Markdown to Slack's mrkdwn: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes and
 * <url|links>. Slack has no headings, lists or tables: headings become bold lines, list items
 * keep a bullet, tables go in a code block. Only `&`, `<` and `>` need escaping, except in
 * Slack's own tokens (<@U123>, <#C123>, <!here>), which pass through so mentions keep working.
 */
export function markdownToSlackMrkdwn(markdown: string): string {
  return renderBlocks(parseBlocks(markdown)).trim();
}

const SLACK_TOKEN = /<(?:[@#!][^<>\s]+|(?:https?|mailto):[^<>\s|]+\|[^<>]+)>/g;

/** Escapes text for mrkdwn, leaving Slack's own <…> tokens intact. */
export function escapeSlackText(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(SLACK_TOKEN)) {
    out += escapeAll(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeAll(text.slice(last));
}

function escapeAll(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
      return renderInline(parseInline(block.text));
    case 'heading':
      return block.text === '' ? '' : `*${renderInline(parseInline(block.text))}*`;
    case 'item':
      return `${block.indent}${block.ordered ? block.marker : '•'} ${renderInline(parseInline(block.text))}`;
    case 'rule':
      return '———';
    case 'code':
      // Slack shows a language tag as part of the code, so it is dropped.
      return `\`\`\`\n${escapeAll(block.text)}\n\`\`\``;
    case 'table':
      return `\`\`\`\n${escapeAll(block.lines.join('\n'))}\n\`\`\``;
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
      return escapeSlackText(node.text);
    case 'code':
      return `\`${escapeAll(node.text).replace(/`/g, 'ˋ')}\``;
    case 'bold':
      return `*${renderInline(node.children)}*`;
    case 'italic':
      return `_${renderInline(node.children)}_`;
    case 'strike':
      return `~${renderInline(node.children)}~`;
    case 'spoiler':
      return renderInline(node.children);
    case 'link': {
      const label = renderInline(node.children.flatMap((child) => (child.kind === 'link' ? child.children : [child])));
      const href = node.href.replace(/[<>|\s]/g, encodeURIComponent);
      return label === escapeAll(node.href) ? `<${href}>` : `<${href}|${label.replace(/\|/g, '¦')}>`;
    }
  }
}
