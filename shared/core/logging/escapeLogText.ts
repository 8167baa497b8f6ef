/** Longest value a log line carries; the rest is cut (values from outside can be arbitrarily long). */
export const MAX_LOG_VALUE = 512;

// Anything that could end a log line, redraw a terminal or make a line read differently from what it holds:
// C0 and C1 controls and DEL (newline, CR, NUL, ESC of ANSI sequences…), the Unicode line and paragraph
// separators, the bidirectional controls ("Trojan Source" reordering), the byte-order mark, lone surrogates,
// and the backslash itself (so a literal "\n" in a value cannot pass for an escaped newline).
const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\\]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/**
 * Makes text from outside safe to write on one log line: control characters, line separators and the rest
 * of UNSAFE become visible escapes (a newline in a webhook id cannot forge a second line), and over-long
 * text is cut.
 */
export function escapeLogText(text: string, max = MAX_LOG_VALUE): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(+${text.length - max})` : text;
  return cut.replace(UNSAFE, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A field name: escaped like a value, and never empty. */
export function escapeLogName(name: string): string {
  return name === '' ? '(empty)' : escapeLogText(name, 64);
}
