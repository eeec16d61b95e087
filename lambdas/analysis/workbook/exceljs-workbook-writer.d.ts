// exceljs's streaming writer on its own: its main entry also loads the workbook model and the
// streaming reader with their zip and XML parsers, which this project never uses (about 0.2 s of
// module loading per start). The class is the one exceljs exports as stream.xlsx.WorkbookWriter.
declare module 'exceljs/lib/stream/xlsx/workbook-writer' {
  import type { stream } from 'exceljs';
  const WorkbookWriter: typeof stream.xlsx.WorkbookWriter;
  export = WorkbookWriter;
}
