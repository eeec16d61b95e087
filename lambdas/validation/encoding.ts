// Input that is not UTF-8 text reads as garbage with NUL bytes: say what it is instead of quoting
// the garbage, and keep control characters out of messages (and out of SQL text: DuckDB's parser
// stops at a NUL byte).

/** Why a header row is unreadable when its bytes tell: UTF-16 or UTF-32 text holds NUL bytes. */
export function unreadableHeaderReason(header: string): string | undefined {
  if (!header.includes('\u0000')) return undefined;
  // A UTF-16 byte order mark (FF FE or FE FF) decodes as two replacement characters.
  const bom = header.startsWith('\uFFFD\uFFFD') ? ', starting with a byte order mark' : '';
  return `the header holds NUL bytes: the file looks UTF-16 (or UTF-32) encoded${bom}; save it as UTF-8`;
}

/** Longest text from a file that a message quotes: a binary file's "header" can be kilobytes. */
const MAX_QUOTED = 160;

/** Text safe to show in a message: control characters as \xNN, at most MAX_QUOTED characters of it. */
export function printable(text: string): string {
  const shown = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}… (${text.length - MAX_QUOTED} more characters)` : text;
  // eslint-disable-next-line no-control-regex
  return shown.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** "header is …" for a message, or why the header is no text to quote (UTF-16, bytes that are not UTF-8). */
export function headerDescription(header: string): string {
  const unreadable = unreadableHeaderReason(header);
  if (unreadable) return unreadable;
  if (header.includes('\uFFFD')) return 'the header is not UTF-8 text (binary data, or another encoding: save the file as UTF-8 CSV)';
  return `header is ${printable(header)}`;
}
