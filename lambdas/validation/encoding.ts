// Input that is not UTF-8 text reads as garbage with NUL bytes: say what it is instead of quoting
// the garbage, and keep control characters out of messages (and out of SQL text: DuckDB's parser
// stops at a NUL byte).

/** A file's first bytes that say it is no UTF-8 text, with what to do about it (checked in order: UTF-32 before UTF-16). */
const FILE_SIGNATURES: readonly { bytes: readonly number[]; reason: string }[] = [
  { bytes: [0xff, 0xfe, 0x00, 0x00], reason: 'the file is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], reason: 'the file is UTF-32 text (it starts with a UTF-32 byte order mark); save it as UTF-8' },
  { bytes: [0xff, 0xfe], reason: 'the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8' },
  { bytes: [0xfe, 0xff], reason: 'the file is UTF-16 text (it starts with a UTF-16 byte order mark); save it as UTF-8' },
  { bytes: [0x1f, 0x8b], reason: 'the file is gzip-compressed; upload it decompressed (gunzip)' },
  { bytes: [0x50, 0x4b, 0x03, 0x04], reason: 'the file is a ZIP archive (an .xlsx workbook is one); export the sheet as CSV (UTF-8), or unzip the file' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], reason: 'the file is an old Excel workbook (.xls); export the sheet as CSV (UTF-8)' },
  { bytes: [0x42, 0x5a, 0x68], reason: 'the file is bzip2-compressed; upload it decompressed (bunzip2)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], reason: 'the file is zstd-compressed; upload it decompressed (unzstd)' },
  { bytes: [0x50, 0x41, 0x52, 0x31], reason: 'the file is Parquet, not text; upload it as CSV' },
];

/** What a file is when its first bytes (the start of its first record) say it is no UTF-8 text. */
export function binaryFileReason(firstBytes: Uint8Array): string | undefined {
  return FILE_SIGNATURES.find(({ bytes }) => bytes.length <= firstBytes.length && bytes.every((byte, i) => firstBytes[i] === byte))?.reason;
}

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
  const controls = shown.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
  // Characters a terminal shows as nothing or as a plain space (a BOM inside a line, a no-break or
  // zero-width space): "1000" with one of them reads as a valid id unless it is spelt out.
  return controls.replace(/[\u00a0\u200b-\u200d\u2060\ufeff]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "header is …" for a message, or why the header is no text to quote (UTF-16, bytes that are not UTF-8). */
export function headerDescription(header: string): string {
  const unreadable = unreadableHeaderReason(header);
  if (unreadable) return unreadable;
  if (header.includes('\uFFFD')) return 'the header is not UTF-8 text (binary data, or another encoding: save the file as UTF-8 CSV)';
  return `header is ${printable(header)}`;
}
