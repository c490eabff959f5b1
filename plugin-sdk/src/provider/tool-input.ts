/**
 * A tool call's streamed arguments as its input. Arguments that are not JSON are passed on as
 * the raw string: input validation then tells the model what was wrong, and it can try again,
 * rather than the whole turn failing. No arguments at all are an empty object.
 */
export function parseToolInput(json: string): unknown {
  const raw = json.trim();
  if (raw === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}
