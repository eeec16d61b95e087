// The error every reader of delimited text throws: it names the file, the row and the reason.
export class CsvFormatError extends Error {
  override name = 'CsvFormatError';
  constructor(
    readonly source: string,
    readonly row: number,
    readonly reason: string,
  ) {
    super(`${source}: row ${row}: ${reason}`);
  }
}
