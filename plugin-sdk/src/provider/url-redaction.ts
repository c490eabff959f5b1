/** A URL fit for messages and doctor output: any user and password replaced. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = parsed.username ? '***' : '';
      parsed.password = parsed.password ? '***' : '';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an invalid URL)';
  }
}

/** Text with the credentials of any URL in it replaced, for errors that quote a URL (fetch does). */
export function scrubCredentials(text: string): string {
  return text.replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, '//***:***@');
}
