// Athena's query result file: a header row and every non-null value double-quoted (inner quotes
// doubled), NULL as an empty unquoted field, \n line ends. Values print as Athena prints them for
// the types our queries return: DATE as YYYY-MM-DD, DECIMAL with its scale ("12.50"), integers
// plainly; doubles as the shortest text that reads back to the same number.
import { DuckDBDateValue, DuckDBDecimalValue, DuckDBTimestampValue, type DuckDBValue } from '@duckdb/node-api';

export function quoteAthenaField(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function athenaValueText(value: DuckDBValue): string | null {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return String(value); // shortest round-trip form; NaN and Infinity spelt as Athena does
    case 'bigint':
    case 'boolean':
      return String(value);
  }
  if (value instanceof DuckDBDateValue || value instanceof DuckDBDecimalValue) return value.toString();
  // Athena prints timestamps with milliseconds: 2021-04-01 10:00:00.000
  if (value instanceof DuckDBTimestampValue) return timestampText(value.toString());
  return String(value);
}

export function athenaCsvRow(values: readonly DuckDBValue[]): string {
  return (
    values
      .map((value) => {
        const text = athenaValueText(value);
        return text === null ? '' : quoteAthenaField(text);
      })
      .join(',') + '\n'
  );
}

export function athenaCsvHeader(columnNames: readonly string[]): string {
  return columnNames.map(quoteAthenaField).join(',') + '\n';
}

function timestampText(duckDbText: string): string {
  const match = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?:\.(\d+))?$/.exec(duckDbText);
  if (!match) return duckDbText;
  return `${match[1]}.${(match[2] ?? '').padEnd(3, '0').slice(0, 3)}`;
}
