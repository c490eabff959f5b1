import { parseBlocks, type Block } from './markdown-blocks.js';
import { parseInline, type Inline } from './markdown-inline.js';

/**
 * Markdown to Telegram's HTML parse mode. HTML is the robust choice: MarkdownV2 rejects a whole
 * message over one unescaped `.` or `!`, while HTML needs only `&`, `<` and `>` escaped.
 * Telegram has no headings, lists or tables, so headings become bold lines, list items keep a
 * bullet, tables and code keep their layout in <pre>.
 *
 * The visible text (what Telegram counts against its 4096 limit) is never longer than the
 * Markdown it came from, so chunking the Markdown to the limit keeps every message within it.
 */
export function markdownToTelegramHtml(markdown: string): string {
  return renderBlocks(parseBlocks(markdown), false).trim();
}

/** Escapes text for Telegram HTML: only `&`, `<` and `>` are special outside attributes. */
export function escapeTelegramHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(text: string): string {
  return escapeTelegramHtml(text).replace(/"/g, '&quot;');
}

const LINK_SCHEMES = /^(?:https?:\/\/|tg:\/\/|mailto:)/i;
const LANGUAGE = /^[\w#+.-]{1,32}$/;
const RULE = '———';

function renderBlocks(blocks: readonly Block[], inQuote: boolean): string {
  let out = '';
  blocks.forEach((block, i) => {
    if (i > 0) out += block.gap ? '\n\n' : '\n';
    out += renderBlock(block, inQuote);
  });
  return out;
}

function renderBlock(block: Block, inQuote: boolean): string {
  switch (block.kind) {
    case 'paragraph':
      return renderInline(parseInline(block.text));
    case 'heading':
      return block.text === '' ? '' : `<b>${renderInline(parseInline(block.text))}</b>`;
    case 'item':
      return `${block.indent}${block.ordered ? block.marker : '•'} ${renderInline(parseInline(block.text))}`;
    case 'rule':
      return RULE;
    case 'code': {
      const code = escapeTelegramHtml(block.text);
      return LANGUAGE.test(block.lang) ? `<pre><code class="language-${block.lang}">${code}</code></pre>` : `<pre>${code}</pre>`;
    }
    case 'table':
      return `<pre>${escapeTelegramHtml(block.lines.join('\n'))}</pre>`;
    case 'quote': {
      // Telegram refuses nested blockquotes: an inner quote is kept as plain lines of the outer.
      const inner = renderBlocks(block.blocks, true);
      return inQuote ? inner : `<blockquote>${inner}</blockquote>`;
    }
  }
}

function renderInline(nodes: readonly Inline[]): string {
  return nodes.map(renderNode).join('');
}

function renderNode(node: Inline): string {
  switch (node.kind) {
    case 'text':
      return escapeTelegramHtml(node.text);
    case 'code':
      return `<code>${escapeTelegramHtml(node.text)}</code>`;
    case 'bold':
      return `<b>${renderInline(node.children)}</b>`;
    case 'italic':
      return `<i>${renderInline(node.children)}</i>`;
    case 'strike':
      return `<s>${renderInline(node.children)}</s>`;
    case 'spoiler':
      return `<tg-spoiler>${renderInline(node.children)}</tg-spoiler>`;
    case 'link': {
      // A link inside a link's words cannot be opened separately; its words stay.
      const label = renderInline(node.children.flatMap((child) => (child.kind === 'link' ? child.children : [child])));
      // Telegram rejects the message over a link it cannot open; keep the words instead.
      return LINK_SCHEMES.test(node.href) ? `<a href="${escapeAttribute(node.href)}">${label}</a>` : label;
    }
  }
}
