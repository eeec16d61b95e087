// Formatting of the benchmark's figures as Markdown tables (pasted as-is into bench/README.md).

export function markdownTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [`| ${header.join(' | ')} |`, `|${header.map((_, index) => (index === 0 ? ':---' : '---:')).join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

export const seconds = (ms: number): string => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
export const megabytes = (bytes: number): string => (bytes / 1e6).toFixed(bytes < 10e6 ? 2 : 1) + ' MB';
export const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
export const ratio = (a: number, b: number): string => (b > 0 ? (a / b).toFixed(2) + '×' : 'n/a');
export const percent = (a: number, b: number): string => (b > 0 ? ((100 * a) / b).toFixed(1) + '%' : 'n/a');
/** Lambda's "MB" of memory are mebibytes. */
export const mebibytes = (bytes: number): string => Math.round(bytes / 2 ** 20).toLocaleString('en-US') + ' MiB';
