/**
 * Text a provider sent, made safe to put in a message: control characters become spaces and it
 * is cut to `max` characters, so a hostile or broken provider cannot flood logs or responses.
 */
export function printable(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
