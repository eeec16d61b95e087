// SQL text made per run. Everything run-specific reaches a query of that run only, inside its own
// text: Athena takes execution parameters only in WHERE clauses and never in views, its injected
// run_id partition needs a literal, and a view or table replaced per run would be shared by every
// execution that overlaps it. So the run queries (lib/queries.ts readRunQuery) hold placeholders,
// each a SQL string literal ('{{run_id}}') so the template parses as Trino SQL, and they are filled
// here only with validated values: the run id (letters, digits, '-', '_') and real YYYY-MM-DD dates,
// none of which can end a string literal.
import { assertRunId } from '../contracts/layout';
import { isRealIsoDate } from '../contracts/run-options';

/** What a run query may be filled with. */
export interface RunQueryValues {
  runId: string;
  /** The declared data range, YYYY-MM-DD (run options dataStart and dataEnd). */
  dataStart: string;
  dataEnd: string;
}

/** Placeholder (as written in queries/) -> the value it takes. */
const PLACEHOLDERS: Record<string, (values: RunQueryValues) => string> = {
  "'{{run_id}}'": (values) => values.runId,
  "'{{data_start}}'": (values) => values.dataStart,
  "'{{data_end}}'": (values) => values.dataEnd,
};

export function fillRunQuery(template: string, values: RunQueryValues): string {
  const checked = validatedValues(values);
  let sql = template;
  for (const [placeholder, value] of Object.entries(PLACEHOLDERS)) sql = sql.split(placeholder).join(`'${value(checked)}'`);
  const unknown = /\{\{[^}]*\}\}/.exec(sql);
  if (unknown) throw new Error(`the SQL template has an unknown placeholder ${unknown[0]} (known: ${Object.keys(PLACEHOLDERS).join(', ')})`);
  return sql;
}

/** Every template filled for one run, by the same keys. */
export function fillRunQueries(templates: Readonly<Record<string, string>>, values: RunQueryValues): Record<string, string> {
  return Object.fromEntries(Object.entries(templates).map(([key, template]) => [key, fillRunQuery(template, values)]));
}

function validatedValues(values: RunQueryValues): RunQueryValues {
  for (const day of [values.dataStart, values.dataEnd]) {
    if (typeof day !== 'string' || !isRealIsoDate(day)) throw new Error(`data range dates must be real YYYY-MM-DD dates, got ${JSON.stringify(day)}`);
  }
  return { runId: assertRunId(values.runId), dataStart: values.dataStart, dataEnd: values.dataEnd };
}
