/**
 * The plain text of HTML this channel generated, for resending when Telegram refuses the markup
 * ("can't parse entities"): a reply that arrives unformatted beats one that does not arrive.
 */
export function htmlToPlainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&amp;/g, '&');
}

/** Whether a Bot API error is Telegram refusing the formatting, not the message. */
export function isEntityParseError(error: unknown): boolean {
  const e = error as { error_code?: unknown; description?: unknown };
  return e?.error_code === 400 && typeof e.description === 'string' && /can't parse entities/i.test(e.description);
}

/** Telegram refuses an edit that changes nothing; for a draft that is success. */
export function isNotModified(error: unknown): boolean {
  const e = error as { error_code?: unknown; description?: unknown };
  return e?.error_code === 400 && typeof e.description === 'string' && /message is not modified/i.test(e.description);
}
