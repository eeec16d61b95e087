// Reads whatever a run left under results/<runId>/ into plain data for the charts and the
// dashboard. Missing files are not errors: a study may have been skipped or a stage may have failed,
// and the report says so instead of stopping.
import { forEachDataRow, type CsvTable } from '../tabular/csv';
import { readNumberColumns } from '../tabular/number-columns';
import { formatCount } from '../analysis/figure-format';
import { Random } from '../analysis/random';
import { sampleIndexes } from '../analysis/report/charts/summaries';
import { runPrefix } from '../contracts/layout';
import { DATA_QUALITY_FILE, FAILED_FILE, MANIFEST_FILE, MINUTES_AND_CERTIFICATES_FILE, MOOC_FILES, MOOC_SUMMARY_FILE, STATISTICS_FILE, cohortFileName } from '../contracts/result-files';
import { ObjectNotFoundError, type ObjectStore } from '../io/object-store';
import type { StatisticsAsRead } from '../contracts/engagement-statistics';
import type { FailedMarker, RunManifest } from '../contracts/result-types';
import type { CohortSample, RunFacts, RunResults } from '../contracts/run-results';


// Period files an analyst placed may spell the quarter in lower case (2021q2), as findPeriodFiles accepts.
const COHORT_FILE_PATTERN = /^engagement\/minutes_watched_(\d{4}Q[1-4])_paid_([01])(_no_outliers)?\.csv$/i;

/** Charts need the shape of a distribution, not every student: larger files are sampled. */
export const MAX_CHART_ROWS = 50_000;
/** The ROC curve uses up to this many validation/test rows. */
export const MAX_PREDICTION_ROWS = 200_000;

/**
 * Streams a CSV keeping at most maxRows rows: a seeded reservoir sample (the same rows on every
 * run), returned in file order, so memory stays bounded however large the result file is.
 */
export async function readCsvSample(
  chunks: AsyncIterable<string | Uint8Array>,
  source: string,
  maxRows: number,
): Promise<CsvTable & { totalRows: number }> {
  const random = new Random(20261123);
  let header: string[] = [];
  const kept: { index: number; row: string[] }[] = [];
  let totalRows = 0;
  const keep = (row: string[]): void => {
    const index = totalRows++;
    if (kept.length < maxRows) kept.push({ index, row });
    else {
      const slot = random.int(index + 1);
      if (slot < maxRows) kept[slot] = { index, row };
    }
  };
  await forEachDataRow(chunks, source, (names) => (header = names), keep);
  kept.sort((a, b) => a.index - b.index);
  return { header, rows: kept.map((entry) => entry.row), totalRows };
}

/** `facts` inside the workflow; without them (a finished run read afterwards) its manifest says. */
export async function loadRunResults(store: ObjectStore, runId: string, facts?: RunFacts): Promise<RunResults> {
  const prefix = runPrefix(runId);
  const listed = (await store.list(prefix)).map((object) => ({ key: object.key.slice(prefix.length), size: object.size }));
  // Inside the workflow the folder's _FAILED.json is this attempt's marker (PlanRun writes it, and
  // PublishManifest deletes it when the run succeeds) and no manifest is this run's yet: neither is a
  // file the finished run has, so the report does not link them.
  const files = facts ? listed.filter((file) => file.key !== FAILED_FILE && file.key !== MANIFEST_FILE) : listed;
  const has = (relative: string): boolean => files.some((file) => file.key === relative);
  const notes: string[] = [];

  const readJson = async <T>(relative: string): Promise<T | undefined> => {
    if (!has(relative)) return undefined;
    try {
      return JSON.parse(await store.getText(prefix + relative)) as T;
    } catch (error) {
      notes.push(`${relative} could not be read: ${(error as Error).message}`);
      return undefined;
    }
  };
  const readCsv = async (relative: string): Promise<CsvTable | undefined> => {
    if (!has(relative)) return undefined;
    try {
      const maxRows = relative === `mooc/${MOOC_FILES.predictions}` ? MAX_PREDICTION_ROWS : MAX_CHART_ROWS;
      const sample = await readCsvSample(await store.getStream(prefix + relative), relative, maxRows);
      if (sample.totalRows > sample.rows.length) {
        notes.push(`Charts from ${relative} use a seeded sample of ${formatCount(sample.rows.length)} of its ${formatCount(sample.totalRows)} rows.`);
      }
      return { header: sample.header, rows: sample.rows };
    } catch (error) {
      if (error instanceof ObjectNotFoundError) return undefined;
      notes.push(`${relative} could not be read: ${(error as Error).message}`);
      return undefined;
    }
  };

  const readNumbersOf = async (relative: string, columns: readonly string[]): Promise<Float64Array[] | undefined> =>
    has(relative) ? readNumbers(store, prefix + relative, relative, columns, notes) : undefined;
  const readMinutes = async (relative: string): Promise<number[] | undefined> => {
    const columns = await readNumbersOf(relative, ['minutes_watched']);
    return columns && Array.from(columns[0]!);
  };

  const manifest = facts ? undefined : await readJson<RunManifest>(MANIFEST_FILE);
  const failed = facts ? undefined : await readJson<FailedMarker>(FAILED_FILE);
  const dataQuality = await readJson<unknown>(DATA_QUALITY_FILE);
  const results: RunResults = { runId, manifest, failed, dataQuality, files, notes };
  const skipped = (study: string): boolean => (facts ? facts.studies[study]?.run === false : manifest?.studies?.[study]?.status === 'skipped');
  const skipNote = (study: string): string | undefined => (facts ? facts.studies[study]?.note : manifest?.studies?.[study]?.note);

  // Engagement
  const statistics = await readJson<StatisticsAsRead>(`engagement/${STATISTICS_FILE}`);
  results.periods = statistics?.periods ?? facts?.periods ?? manifest?.periods;
  const engagementSkipped = skipped('engagement');
  const engagementFiles = files.filter((file) => file.key.startsWith('engagement/'));
  if (engagementSkipped || engagementFiles.length === 0) {
    const why = skipNote('engagement');
    notes.push(`The engagement study did not run in this run${why ? ` (${why})` : ''}; its charts are left out.`);
  } else {
    const periodsSeen = new Set<string>();
    // Each cohort file's key as written, by its key in lower case.
    const cohortKeys = new Map<string, string>();
    for (const file of engagementFiles) {
      const match = COHORT_FILE_PATTERN.exec(file.key);
      if (!match) continue;
      periodsSeen.add(match[1]!.toUpperCase());
      cohortKeys.set(file.key.toLowerCase(), file.key);
    }
    const periodOrder = results.periods ? [results.periods.baseline, results.periods.comparison] : [...periodsSeen].sort();
    const cohortKey = (name: string) => cohortKeys.get(`engagement/${name}`.toLowerCase()) ?? `engagement/${name}`;
    const cohorts: CohortSample[] = [];
    for (const period of periodOrder) {
      for (const paid of [0, 1] as const) {
        const before = await readMinutes(cohortKey(cohortFileName(period, paid)));
        const after = await readMinutes(cohortKey(cohortFileName(period, paid, '_no_outliers')));
        if (before || after) cohorts.push({ period, paid, before, after });
      }
    }
    const certificates = await readNumbersOf(`engagement/${MINUTES_AND_CERTIFICATES_FILE}`, ['minutes_watched', 'certificates_issued']);
    results.engagement = {
      statistics,
      cohorts,
      minutesAndCertificates: certificates && Array.from(certificates[0]!, (minutes, i) => ({ minutes, certificates: certificates[1]![i]! })),
    };
    if (!statistics) notes.push(`engagement/${STATISTICS_FILE} is missing: the statistics stage did not finish, so findings and figures are incomplete.`);
  }

  // MOOC
  const moocSkipped = skipped('mooc');
  const moocFiles = files.filter((file) => file.key.startsWith('mooc/'));
  if (moocSkipped || moocFiles.length === 0) {
    const why = skipNote('mooc');
    notes.push(`The MOOC drop-out study did not run in this run${why ? ` (${why})` : ''}; its charts are left out.`);
  } else {
    results.mooc = {
      summary: await readJson<Record<string, unknown>>(`mooc/${MOOC_SUMMARY_FILE}`),
      daily: await readCsv(`mooc/${MOOC_FILES.daily}`),
      // Runs before the cycle-day naming wrote hour_weekday_activity.csv.
      hourCycleDay: (await readCsv(`mooc/${MOOC_FILES.hourCycleDay}`)) ?? (await readCsv('mooc/hour_weekday_activity.csv')),
      targetCategories: await readCsv(`mooc/${MOOC_FILES.targetCategories}`),
      segments: await readCsv(`mooc/${MOOC_FILES.segments}`),
      userFeatures: await readCsv(`mooc/${MOOC_FILES.userFeatures}`),
      predictions: await readCsv(`mooc/${MOOC_FILES.predictions}`),
      model: await readJson<Record<string, unknown>>(`mooc/${MOOC_FILES.model}`),
    };
  }
  return results;
}

/**
 * Numeric columns of a result file for the charts, a seeded sample of MAX_CHART_ROWS rows at most.
 * Rows without a number in every column asked for are left out (the charts plot numbers only).
 */
async function readNumbers(store: ObjectStore, key: string, relative: string, columns: readonly string[], notes: string[]): Promise<Float64Array[] | undefined> {
  let read;
  try {
    read = await readNumberColumns(await store.getStream(key), relative, columns, { badRows: 'skip' });
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    notes.push(`${relative} could not be read: ${(error as Error).message}`);
    return undefined;
  }
  const keep = sampleIndexes(read.rows, MAX_CHART_ROWS);
  if (!keep) return read.values;
  notes.push(`Charts from ${relative} use a seeded sample of ${formatCount(keep.length)} of its ${formatCount(read.rows)} rows.`);
  return read.values.map((column) => Float64Array.from(keep, (index) => column[index]!));
}
