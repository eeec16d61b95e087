// The dashboard's tables: cohort figures, the tests (two-sided p and direction as the findings state
// them, the study's one-sided p beside), the regression, MOOC segments and target categories, data
// quality per input file with links to the quarantine files, and the result files.
import type { RunResults } from '../../contracts/run-results';
import { orderedCohorts } from './charts/engagement';
import { targetDropoutRates, type SegmentProfile } from './charts/mooc';
import { chosenPValues } from './findings';
import { quarantinedFiles } from './data-quality-findings';
import { escapeHtml, scrollingTable } from './html';
import { effectSizeOfCohensD, formatCount, formatFigure as fmt, formatInterval, formatPercent, isNumber, pValueText } from '../figure-format';

export function figureTables(results: RunResults, segments: SegmentProfile[]): string {
  const parts: string[] = [`<section id="tables"><h2>Main figures</h2>`];
  const statistics = results.engagement?.statistics;
  if (statistics) {
    const alpha = isNumber(statistics.alpha) ? statistics.alpha : 0.05;
    parts.push(`<h3>Cohorts (minutes watched)</h3>`);
    const cohortRows = orderedCohorts(statistics).map(
      ({ period, plan, stats }) =>
        `<tr data-period="${escapeHtml(period)}" data-plan="${plan}"><td>${escapeHtml(period)} ${plan}</td><td>${stats.n_before ?? 'n/a'}</td><td>${fmt(stats.cutoff)}</td><td>${stats.n_after ?? 'n/a'}</td>` +
        `<td>${fmt(stats.mean)}</td><td>${fmt(stats.median)}</td><td>${fmt(stats.sd)}</td><td>${formatInterval(stats.ci95_t)}</td><td>${formatInterval(stats.ci95_z)}</td></tr>`,
    );
    parts.push(
      scrollingTable(
        `<thead><tr><th>cohort</th><th>students</th><th>outlier cut-off</th><th>kept</th><th>mean</th><th>median</th><th>sd</th><th>95% CI (t)</th><th>95% CI (z)</th></tr></thead><tbody>${cohortRows.join('')}</tbody>`,
      ),
    );
    const { baseline, comparison } = statistics.periods;
    parts.push(`<h3>Tests: ${escapeHtml(comparison)} against ${escapeHtml(baseline)}, per plan</h3>`);
    const testRows: string[] = [];
    for (const plan of ['free', 'paid'] as const) {
      const test = statistics.tests?.[plan];
      if (!test) continue;
      const welch = test.chosen === 'welch';
      const { twoSided, oneSided } = chosenPValues(test);
      const change = isNumber(test.mean_difference) ? test.mean_difference : null;
      const direction = test.direction ?? (change === null ? null : change > 0 ? 'rose' : change < 0 ? 'fell' : 'unchanged');
      const significant = twoSided === null ? 'n/a' : twoSided < alpha ? `yes, ${direction ?? 'changed'}` : 'no';
      const size = isNumber(test.cohens_d) ? effectSizeOfCohensD(test.cohens_d) : null;
      const rank = test.mann_whitney && isNumber(test.mann_whitney.p_two_sided) ? pValueText(test.mann_whitney.p_two_sided) : 'n/a';
      testRows.push(
        `<tr data-plan="${plan}"><td>${plan}</td><td>${direction ?? 'n/a'}</td><td>${fmt(change, 2)}</td><td>${formatInterval(test.mean_difference_ci95, 2, true)}</td>` +
          `<td>${escapeHtml(test.chosen ?? 'n/a')}</td><td>${fmt(welch ? test.t_welch : test.t_pooled, 3)}</td><td>${fmt(welch ? test.df_welch : test.df_pooled, 1)}</td>` +
          `<td>${escapeHtml(pValueText(twoSided))}</td><td class="text">${significant}</td><td>${fmt(test.cohens_d, 3)}${size ? ` (${size})` : ''}</td>` +
          `<td>${escapeHtml(rank)}</td><td>${escapeHtml(pValueText(oneSided))}</td><td>${fmt(test.F, 3)}</td><td>${escapeHtml(pValueText(test.p_F))}</td></tr>`,
      );
    }
    parts.push(
      scrollingTable(
        `<thead><tr><th>plan</th><th>direction</th><th>change in mean (min)</th><th>95% CI of the change</th><th>test used</th><th title="t of baseline minus comparison: negative for a rise">t (baseline − comparison)</th><th>df</th><th>p (two-sided)</th>` +
          `<th class="text">significant at ${Number((alpha * 100).toPrecision(6))}%</th><th>Cohen's d</th><th>Mann–Whitney p (two-sided)</th><th>study's one-sided p (H₀: no rise)</th><th>F</th><th>p(F)</th></tr></thead><tbody>${testRows.join('')}</tbody>`,
      ),
    );
    const regression = statistics.regression;
    if (regression?.full) {
      parts.push(`<h3>Regression of certificates on minutes</h3>`);
      const { full, split } = regression;
      // The split's line is fitted on its train part (r2_train, n_train; no standard errors) and scored
      // on the held-out test part (r2_test, MAE, RMSE over n_test), the figures that say how it predicts.
      const fits: { label: string; intercept: number | null; slope: number | null; seSlope: number | null; r2: number | null; n: number | undefined; mae?: number | null; rmse?: number | null }[] = [
        { label: 'all students', intercept: full.intercept, slope: full.slope, seSlope: full.se_slope, r2: full.r2, n: full.n },
        ...(split
          ? [
              { label: 'train split', intercept: split.intercept, slope: split.slope, seSlope: null, r2: split.r2_train, n: split.n_train },
              { label: 'test split (the train line)', intercept: split.intercept, slope: split.slope, seSlope: null, r2: split.r2_test, n: split.n_test, mae: split.mae_test, rmse: split.rmse_test },
            ]
          : []),
      ];
      const rows = fits.map(
        (fit) =>
          `<tr><td>${fit.label}</td><td>${fmt(fit.intercept, 4)}</td><td>${fmt(fit.slope, 6)}</td><td>${fmt(fit.seSlope, 6)}</td><td>${fmt(fit.r2, 4)}</td>` +
          `<td>${fit.mae === undefined ? '' : fmt(fit.mae, 4)}</td><td>${fit.rmse === undefined ? '' : fmt(fit.rmse, 4)}</td><td>${fit.n ?? 'n/a'}</td></tr>`,
      );
      parts.push(scrollingTable(`<thead><tr><th>fit</th><th>intercept</th><th>slope</th><th>se(slope)</th><th>R²</th><th>MAE</th><th>RMSE</th><th>n</th></tr></thead><tbody>${rows.join('')}</tbody>`));
    }
  }
  if (segments.length > 0) {
    const features = Object.keys(segments[0]!.features);
    const rows = segments.map(
      (segment) =>
        `<tr data-segment="${escapeHtml(segment.segment)}"><td>${escapeHtml(segment.segment)}</td><td>${formatCount(segment.users)}</td>${features.map((feature) => `<td>${tableNumber(segment.features[feature], 3)}</td>`).join('')}</tr>`,
    );
    parts.push(`<h3>MOOC segments</h3>`);
    parts.push(scrollingTable(`<thead><tr><th>segment</th><th>users</th>${features.map((feature) => `<th>${escapeHtml(feature)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody>`));
  }
  const rates = results.mooc ? targetDropoutRates(results.mooc) : undefined;
  if (rates && rates.length > 0) {
    parts.push(`<h3>MOOC drop-out by target category</h3>`);
    const rows = rates.map((rate) => `<tr><td>${escapeHtml(rate.category)}</td><td>${formatCount(rate.lastActions)}</td><td>${fmt(rate.rate * 100, 1)}%</td></tr>`);
    parts.push(scrollingTable(`<thead><tr><th>category</th><th>last actions</th><th>drop-out share</th></tr></thead><tbody>${rows.join('')}</tbody>`));
  }
  if (results.mooc?.model) {
    parts.push(`<h3>MOOC drop-out model</h3>`);
    const rows = Object.entries(results.mooc.model)
      .filter(([, value]) => typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
      // Text values (the task, the protocol) wrap: unwrapped, a sentence pushed the figures off a phone's screen.
      .map(([key, value]) => `<tr><th scope="row">${escapeHtml(key)}</th>${typeof value === 'number' ? `<td>${tableNumber(value, 4)}</td>` : `<td class="text">${escapeHtml(value)}</td>`}</tr>`);
    parts.push(scrollingTable(`<thead><tr><th>measure</th><th>value</th></tr></thead><tbody>${rows.join('')}</tbody>`));
  }
  parts.push(`</section>`);
  return parts.join('');
}

interface QualityFileEntry {
  study?: unknown;
  file?: unknown;
  input_rows?: unknown;
  accepted_rows?: unknown;
  quarantined_rows?: unknown;
  bad_row_share?: unknown;
  first_bad_row?: unknown;
}

/** data_quality.json as a table: one row per input file, reasons and a link to its quarantine file. */
export function dataQualitySection(results: RunResults): string {
  const parts = [`<section id="data-quality"><h2>Data quality</h2>`];
  const quality = results.dataQuality as { status?: unknown; max_bad_row_share?: unknown; data_range?: { start?: unknown; end?: unknown }; files?: unknown; notes?: unknown } | undefined;
  if (quality === undefined) parts.push(`<p class="note">This run wrote no data_quality.json.</p>`);
  else if (Array.isArray(quality.files) && quality.files.length === 0) {
    // engagement stats: the analyst's period files go straight to the statistics; no input file is checked.
    parts.push(`<p class="note">No input file was checked in this run: it started from period files (engagement stats), which go straight to the statistics.</p>`);
  } else if (Array.isArray(quality.files)) {
    const quarantined = new Map(quarantinedFiles(quality).map((file) => [`${file.study}/${file.file}`, file]));
    const facts = [
      typeof quality.status === 'string' ? `check ${escapeHtml(quality.status)}` : '',
      isNumber(quality.max_bad_row_share) ? `a file may have at most ${formatPercent(quality.max_bad_row_share, 2)} bad rows` : '',
      quality.data_range ? `dates accepted from ${escapeHtml(quality.data_range.start)} to ${escapeHtml(quality.data_range.end)}` : '',
    ].filter(Boolean);
    if (facts.length > 0) parts.push(`<p>${facts.join('; ')}.</p>`);
    const rows = (quality.files as QualityFileEntry[]).map((entry) => {
      const file = quarantined.get(`${String(entry.study ?? '')}/${String(entry.file ?? '?')}`);
      const reasons = file ? file.reasons.map((reason) => `${escapeHtml(reason.reason)} (${formatCount(reason.rows)})`).join('<br>') : '';
      const link = file?.quarantineFile ? `<a href="../${escapeHtml(file.quarantineFile)}">${escapeHtml(file.quarantineFile)}</a>` : '';
      return (
        `<tr${file ? ' class="quarantined"' : ''}><td>${escapeHtml(entry.study)}</td><td class="text">${escapeHtml(entry.file)}</td><td>${formatCount(entry.input_rows as number)}</td><td>${formatCount(entry.accepted_rows as number)}</td>` +
        `<td>${formatCount(entry.quarantined_rows as number)}</td><td>${isNumber(entry.bad_row_share) ? formatPercent(entry.bad_row_share, 2) : 'n/a'}</td><td class="text">${reasons}</td>` +
        `<td class="text">${firstBadRowText(entry.first_bad_row)}</td><td class="text">${link}</td></tr>`
      );
    });
    parts.push(
      scrollingTable(
        `<thead><tr><th>study</th><th class="text">input file</th><th>input rows</th><th>accepted</th><th>quarantined</th><th>share</th><th class="text">reasons (rows)</th><th>first bad row</th><th class="text">quarantine file</th></tr></thead><tbody>${rows.join('')}</tbody>`,
      ),
    );
    parts.push(notesList(quality.notes));
  } else parts.push(describeQuality(quality));
  if (results.notes.length > 0) parts.push(`<h3>Report notes</h3><ul class="note">${results.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('')}</ul>`);
  parts.push(`</section>`);
  return parts.join('');
}

/** A figure in a table: whole numbers with thousands separators (329,399), others to `digits` places, grouped the same way. */
function tableNumber(value: unknown, digits: number): string {
  if (!isNumber(value)) return 'n/a';
  if (Number.isInteger(value)) return formatCount(value);
  const [whole, fraction] = value.toFixed(digits).split('.');
  return `${whole!.startsWith('-') ? '-' : ''}${formatCount(Math.abs(Number(whole)))}.${fraction}`;
}

/**
 * A file's first quarantined row: its line when the check knows it (the structure checks do; the
 * SQL checks, like Athena, see no line numbers), else its fields as read.
 */
function firstBadRowText(row: unknown): string {
  if (isNumber(row)) return String(row);
  if (!row || typeof row !== 'object') return '';
  const { line, values } = row as { line?: unknown; values?: unknown };
  const fields = values && typeof values === 'object' ? Object.entries(values as Record<string, unknown>).map(([name, value]) => `${name}=${String(value ?? '')}`).join(', ') : '';
  const shown = fields.length > 160 ? `${fields.slice(0, 159)}…` : fields;
  return escapeHtml([isNumber(line) ? `row ${line}` : '', shown].filter(Boolean).join(': '));
}

/**
 * data_quality.json's notes: sentences, or facts by topic (e.g. the MOOC loader's counts of repeated
 * ACTIONIDs), each shown as a line; a count is a fact too, not only a sentence.
 */
function notesList(notes: unknown): string {
  const items: string[] = [];
  const add = (topic: string, value: unknown) => {
    const label = topic ? `${escapeHtml(topic)}: ` : '';
    if (typeof value === 'string') items.push(`${label}${escapeHtml(value)}`);
    else if (isNumber(value)) items.push(`${label}${tableNumber(value, 3)}`);
    else if (typeof value === 'boolean') items.push(`${label}${value ? 'yes' : 'no'}`);
    else if (Array.isArray(value)) value.forEach((item) => add(topic, item));
    else if (isRepeatedIdsNote(value)) {
      items.push(`${label}${formatCount(value.repeatedIds)} ACTIONIDs are on more than one row (${formatCount(value.extraRows)} rows beyond their first); each row is kept as an action`);
    } else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) add(topic ? `${topic} · ${key}` : key, inner);
  };
  add('', notes);
  return items.length > 0 ? `<ul>${items.map((item) => `<li>${item}</li>`).join('')}</ul>` : '';
}

function isRepeatedIdsNote(value: unknown): value is { repeatedIds: number; extraRows: number } {
  return !!value && typeof value === 'object' && isNumber((value as { repeatedIds?: unknown }).repeatedIds) && isNumber((value as { extraRows?: unknown }).extraRows);
}

/** A data_quality.json in another shape: keys and values, lists as lists, nested objects as JSON. */
function describeQuality(quality: unknown): string {
  if (quality && typeof quality === 'object' && !Array.isArray(quality)) {
    const rows = Object.entries(quality as Record<string, unknown>).map(([key, value]) => {
      const shown =
        Array.isArray(value) && value.every((item) => typeof item === 'string')
          ? `<ul>${value.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`
          : value !== null && typeof value === 'object'
            ? `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`
            : escapeHtml(value);
      return `<tr><td>${escapeHtml(key)}</td><td class="text">${shown}</td></tr>`;
    });
    return scrollingTable(`<tbody>${rows.join('')}</tbody>`);
  }
  return `<pre>${escapeHtml(JSON.stringify(quality, null, 2))}</pre>`;
}

export function filesSection(results: RunResults): string {
  const files = results.files.filter((file) => !file.key.startsWith('report/'));
  const link = (key: string): string => `<a href="../${escapeHtml(key)}">${escapeHtml(key)}</a>`;
  if (!results.manifest) {
    // Built inside the workflow, before the manifest: sizes and checksums live in manifest.json
    // (listing them here would tie this page's bytes to files with run-time figures in them).
    const rows = files.map((file) => `<tr><td>${link(file.key)}</td></tr>`);
    return `<section id="files"><h2>Result files</h2><p>Rows, sizes and sha256 of every file are in <a href="../manifest.json">manifest.json</a>.</p>${scrollingTable(`<thead><tr><th>file</th></tr></thead><tbody>${rows.join('')}</tbody>`)}</section>`;
  }
  const manifestOutputs = new Map(results.manifest.outputs.map((output) => [output.key, output]));
  const rows = files.map((file) => {
    const listed = manifestOutputs.get(file.key);
    return `<tr><td>${link(file.key)}</td><td>${listed?.rows ?? ''}</td><td>${formatCount(listed?.bytes ?? file.size)}</td><td style="font-family:monospace;font-size:11px">${escapeHtml(listed?.sha256.slice(0, 16) ?? '')}</td></tr>`;
  });
  return `<section id="files"><h2>Result files</h2>${scrollingTable(`<thead><tr><th>file</th><th>rows</th><th>bytes</th><th>sha256 (start)</th></tr></thead><tbody>${rows.join('')}</tbody>`)}</section>`;
}
