// SQL text made per run. Athena takes execution parameters only in WHERE clauses of queries, never
// in views, and its injected run_id partition needs a literal; so templates under queries/ddl/
// hold a placeholder that is replaced with the run id, and only after the id has been validated
// (letters, digits, '-', '_': nothing that can end a SQL string literal).
import { assertRunId } from './layout';

/** The placeholder, a SQL string literal so the template itself parses as Trino SQL. */
export const RUN_ID_PLACEHOLDER = "'{{run_id}}'";

export function withRunId(template: string, runId: string): string {
  const id = assertRunId(runId);
  if (!template.includes(RUN_ID_PLACEHOLDER)) throw new Error(`the SQL template has no ${RUN_ID_PLACEHOLDER} placeholder`);
  return template.split(RUN_ID_PLACEHOLDER).join(`'${id}'`);
}

/** A query as a run executes it: a template gets the run id, any other query is left as it is. */
export function fillRunId(sql: string, runId: string): string {
  return sql.includes(RUN_ID_PLACEHOLDER) ? withRunId(sql, runId) : sql;
}
