/** Longest value a log line carries; the rest is cut (values from outside can be arbitrarily long). */
export const MAX_LOG_VALUE = 512;

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything that could end a log line
// or redraw a terminal.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Makes text from outside safe to write on one log line: control characters and line separators become
 * visible escapes (a newline in a webhook id cannot forge a second line), and over-long text is cut.
 */
export function escapeLogText(text: string, max = MAX_LOG_VALUE): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(+${text.length - max})` : text;
  return cut.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
