import { PassThrough } from 'node:stream';
import { expect } from 'vitest';

/**
 * A terminal for @clack/prompts questions: `after(text, keys)` waits until the screen shows
 * `text`, then types `keys`. The screen is cleared after each answer, so the next `after` waits
 * for the next question rather than matching an earlier one.
 */
export function fakeTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: false, setRawMode: () => undefined });
  const output = Object.assign(new PassThrough(), { columns: 100, rows: 40, isTTY: false });
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const after = async (text: string, keys: string) => {
    for (let i = 0; i < 400 && !screen.includes(text); i++) await new Promise((r) => setTimeout(r, 10));
    expect(screen).toContain(text);
    screen = '';
    input.write(keys);
  };
  return { input, output, after };
}
