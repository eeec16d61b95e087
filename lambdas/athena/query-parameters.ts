// Athena ExecutionParameters for the engagement queries, one named object per query. Athena
// substitutes them positionally for each `?`: the order is not kept here but read from the SQL file
// itself, where every `?` carries its field's name as a `/* :name */` marker (lib/queries.ts
// parameterMarkers). A string parameter must arrive quoted ('2021-04-01'), a number bare. Values
// are never pasted into SQL text.
import type { Period, StudyPeriods } from '../analysis/periods';

/** A string execution parameter: single-quoted, inner quotes doubled as in SQL. */
export function quotedParameter(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** A whole-number execution parameter (bare); refuses anything else. */
export function integerParameter(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`expected a whole number, got ${JSON.stringify(value)}`);
  return String(value);
}

/** The fields of each parameterised query, by query file: the markers in that file must name exactly these. */
export const QUERY_PARAMETER_FIELDS = {
  'cohort_minutes.sql': ['year', 'quarter', 'firstDay', 'lastDay', 'paid'],
  'minutes_and_certificates.sql': [
    'baselineYear',
    'baselineQuarter',
    'baselineFirstDay',
    'baselineLastDay',
    'comparisonYear',
    'comparisonQuarter',
    'comparisonFirstDay',
    'comparisonLastDay',
  ],
  'purchases_info_flags.sql': ['baselineFirstDay', 'baselineLastDay', 'comparisonFirstDay', 'comparisonLastDay'],
} as const satisfies Record<string, readonly string[]>;

export type ParameterisedQuery = keyof typeof QUERY_PARAMETER_FIELDS;
/** A query's execution parameters by name, each already an Athena literal ('2021-04-01', 2021). */
export type QueryParameters<Q extends ParameterisedQuery> = Record<(typeof QUERY_PARAMETER_FIELDS)[Q][number], string>;

export type CohortMinutesParameters = QueryParameters<'cohort_minutes.sql'>;
export type MinutesAndCertificatesParameters = QueryParameters<'minutes_and_certificates.sql'>;
export type PurchasesInfoFlagsParameters = QueryParameters<'purchases_info_flags.sql'>;

/** queries/cohort_minutes.sql: the period's partition and days, and the paid flag of the cohort. */
export function cohortMinutesParameters(period: Period, paid: 0 | 1): CohortMinutesParameters {
  if (paid !== 0 && paid !== 1) throw new Error(`paid must be 0 or 1, got ${JSON.stringify(paid)}`);
  return {
    year: integerParameter(period.year),
    quarter: integerParameter(period.quarter),
    firstDay: quotedParameter(period.firstDay),
    lastDay: quotedParameter(period.lastDay),
    paid: String(paid),
  };
}

/** queries/minutes_and_certificates.sql: both periods' partitions and days. */
export function minutesAndCertificatesParameters(periods: StudyPeriods): MinutesAndCertificatesParameters {
  return { ...periodFields('baseline', periods.baseline), ...periodFields('comparison', periods.comparison) };
}

/** queries/purchases_info_flags.sql: both periods' days (overlap tests). */
export function purchasesInfoFlagsParameters(periods: StudyPeriods): PurchasesInfoFlagsParameters {
  const { baselineFirstDay, baselineLastDay, comparisonFirstDay, comparisonLastDay } = minutesAndCertificatesParameters(periods);
  return { baselineFirstDay, baselineLastDay, comparisonFirstDay, comparisonLastDay };
}

/**
 * The positional list Athena takes, in the order of the SQL's markers. The workflow builds the same
 * list from the state's object at synth (States.Array); this serves callers that run a query directly.
 */
export function orderedParameters(markers: readonly string[], values: Readonly<Record<string, string>>): string[] {
  return markers.map((name) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for the query parameter marker :${name} (given ${Object.keys(values).join(', ')})`);
    return value;
  });
}

function periodFields<R extends 'baseline' | 'comparison'>(role: R, period: Period) {
  return {
    [`${role}Year`]: integerParameter(period.year),
    [`${role}Quarter`]: integerParameter(period.quarter),
    [`${role}FirstDay`]: quotedParameter(period.firstDay),
    [`${role}LastDay`]: quotedParameter(period.lastDay),
  } as Record<`${R}${'Year' | 'Quarter' | 'FirstDay' | 'LastDay'}`, string>;
}
