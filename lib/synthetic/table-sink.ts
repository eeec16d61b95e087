// Where generated rows go. The generators are pure: they hand text to a TextSink and await it only
// when a chunk is full, so a file stream's backpressure bounds memory without slowing the row loop.
import { formatCsvRow } from '../../lambdas/tabular/csv';
import type { RawTable } from '../../lambdas/contracts/tables';

export interface TextSink {
  /** Resolves when the sink can take more (e.g. after a file stream's 'drain'). */
  write(text: string): void | Promise<void>;
}

export type OpenSink = (table: RawTable) => TextSink;

export interface GeneratedTables {
  /** Data rows written per file name (header not counted). */
  rows: Record<string, number>;
  /** Bytes written over all files, headers included. */
  bytes: number;
}

const CHUNK_CHARS = 1 << 16;

/** Collects one table's rows into ~64 KB chunks. Every generated field is ASCII, so chars = bytes. */
export class TableBuffer {
  rows = 0;
  bytes = 0;
  private pending = '';

  constructor(
    readonly table: RawTable,
    private readonly sink: TextSink,
  ) {
    this.pending = formatCsvRow(table.columns, table.delimiter);
  }

  /** Appends one line that already ends in '\n'. */
  push(line: string): void {
    this.pending += line;
    this.rows += 1;
  }

  get isFull(): boolean {
    return this.pending.length >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const text = this.pending;
    this.pending = '';
    this.bytes += text.length;
    await this.sink.write(text);
  }
}

export async function flushFull(buffers: readonly TableBuffer[]): Promise<void> {
  for (const buffer of buffers) if (buffer.isFull) await buffer.flush();
}

export async function flushAll(buffers: readonly TableBuffer[]): Promise<GeneratedTables> {
  for (const buffer of buffers) await buffer.flush();
  return {
    rows: Object.fromEntries(buffers.map((buffer) => [buffer.table.fileName, buffer.rows])),
    bytes: buffers.reduce((total, buffer) => total + buffer.bytes, 0),
  };
}
