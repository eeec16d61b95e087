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

/** Text safe to show in a message: control characters as \xNN. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
