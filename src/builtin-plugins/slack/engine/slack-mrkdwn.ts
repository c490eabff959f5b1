/**
 * The local Markdown → Slack mrkdwn conversion until the kit's dialect converter replaces it:
 * escapes &, < and > (so model output cannot smuggle in `<!channel>`), and turns bold, strike,
 * links and headings into Slack's forms. Code spans and blocks are only escaped.
 */
export function markdownToMrkdwn(markdown: string): string {
  return markdown
    .split(/(```[\s\S]*?```|`[^`\n]+`)/g)
    .map((part, index) => (index % 2 === 1 ? escape(part) : prose(part)))
    .join('');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function prose(text: string): string {
  return escape(text)
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^\s)|]+)\)/g, '<$2|$1>')
    .replace(/^#{1,6}[ \t]+(.+?)[ \t]*#*$/gm, '*$1*')
    .replace(/\*\*(?=\S)([^*\n]+?)\*\*|__(?=\S)([^_\n]+?)__/g, (_m, a: string | undefined, b: string | undefined) => `*${a ?? b}*`)
    .replace(/~~(?=\S)([^~\n]+?)~~/g, '~$1~');
}
