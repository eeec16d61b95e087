// `npm run bench -- --watch-rows N [--seed S] [--mooc-actions N] [--mooc-real] [--pandas] [--no-synth]` or `-- --cohort-students N`
// Times the local workflow end to end on generated data (each subject in its own process, so its
// peak RSS is its own) beside a bare DuckDB scan-and-aggregate floor and, with --pandas, the same
// study in pandas; then Lambda bundle sizes from `cdk synth` and Parquet vs CSV bytes.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ENGAGEMENT_TABLES, MOOC_TABLES } from '../lambdas/contracts/tables';
import { MAX_BUNDLE_BYTES } from '../lib/bundling';
import { synthBundleSizes } from './bundle-sizes';
import { CACHE_DIR, engagementData, engagementFiles, inputFolder, moocData, realMoocData, type StudyData } from './data';
import { compiledChild, runMeasuredChild, tsChild, type ChildFigures } from './measured-child';
import { measureSqlStages } from './sql-stages';
import { parquetSizes } from './parquet-size';
import { benchStatistics } from './statistics-memory';
import { markdownTable, megabytes, percent, ratio, seconds, thousands } from './report-table';
import type { StateTiming, WorkflowChildInput, WorkflowChildReport } from './workflow-child';

const USAGE =
  'usage: npm run bench -- --watch-rows N [--seed S] [--mooc-actions N | --mooc-real] [--pandas] [--no-synth] [--no-parquet] [--duckdb-memory 1GB] [--sql-stages] [--repeat N]\n' +
  '       npm run bench -- --cohort-students N [--certificate-students M] [--seed S] [--no-synth]';
const WATCHED = 'student_video_watched.csv';
const MOOC_BRANCH_STATES = new Set(['TrainDropoutModel', 'AnalyzeMoocActions']);

interface BenchOptions {
  watchRows: number;
  seed: number;
  moocActions?: number;
  moocReal: boolean;
  pandas: boolean;
  synth: boolean;
  parquet: boolean;
  /** Statistics steps alone on N students per cohort (bench/statistics-memory.ts). */
  cohortStudents?: number;
  certificateStudents?: number;
  /** DuckDB's memory_limit for the workflow's Athena emulator; the local runner's default when absent. */
  duckdbMemory?: string;
  /** Also the SQL stages alone (bench/sql-stages.ts) on the same files. */
  sqlStages: boolean;
  /** Runs of each engagement subject, interleaved; the report shows each subject's median run. */
  repeat: number;
}

function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      'watch-rows': { type: 'string' },
      seed: { type: 'string' },
      'mooc-actions': { type: 'string' },
      'mooc-real': { type: 'boolean', default: false },
      pandas: { type: 'boolean', default: false },
      'no-synth': { type: 'boolean', default: false },
      'no-parquet': { type: 'boolean', default: false },
      'cohort-students': { type: 'string' },
      'certificate-students': { type: 'string' },
      'duckdb-memory': { type: 'string' },
      'sql-stages': { type: 'boolean', default: false },
      repeat: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const count = (name: string, text: string | undefined, fallback?: number): number | undefined => {
    if (text === undefined) return fallback;
    const value = Number(text.replace(/_/g, ''));
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} must be a whole number >= 0, got ${JSON.stringify(text)}\n${USAGE}`);
    return value;
  };
  const moocActions = count('mooc-actions', values['mooc-actions']);
  if (moocActions !== undefined && values['mooc-real']) throw new Error(`give --mooc-actions or --mooc-real, not both\n${USAGE}`);
  const cohortStudents = count('cohort-students', values['cohort-students']);
  const certificateStudents = count('certificate-students', values['certificate-students']);
  return {
    // Asked for the statistics steps alone, the whole workflow runs only when --watch-rows says so.
    watchRows: count('watch-rows', values['watch-rows'], cohortStudents === undefined ? 1_000_000 : 0)!,
    ...(cohortStudents !== undefined ? { cohortStudents, certificateStudents: certificateStudents ?? cohortStudents } : {}),
    seed: count('seed', values.seed, 42)!,
    ...(moocActions !== undefined ? { moocActions } : {}),
    moocReal: values['mooc-real'],
    pandas: values.pandas,
    synth: !values['no-synth'],
    parquet: !values['no-parquet'],
    ...(values['duckdb-memory'] !== undefined ? { duckdbMemory: values['duckdb-memory'] } : {}),
    sqlStages: values['sql-stages'],
    repeat: Math.max(1, count('repeat', values.repeat, 1)!),
  };
}

async function runWorkflow(name: string, inputDir: string, duckdbMemory: string | undefined): Promise<ChildFigures & { report: WorkflowChildReport }> {
  const outDir = path.join(CACHE_DIR, 'out', name);
  const input: WorkflowChildInput = { inputDir, outDir, runId: 'bench', ...(duckdbMemory !== undefined ? { duckdbMemory } : {}) };
  const figures = await runMeasuredChild(await compiledChild('workflow-child.ts', input));
  const report = figures.report as WorkflowChildReport;
  if (report.status !== 'succeeded') throw new Error(`the ${name} run failed: ${JSON.stringify(report.failure)}`);
  return { ...figures, report };
}

function stateRows(states: readonly StateTiming[]): (string | number)[][] {
  return states
    .filter((state) => state.spanMs >= 1)
    .map((state) => [state.state, state.runs, seconds(state.firstStartMs), seconds(state.spanMs), seconds(state.sumMs), seconds(state.cpuMs)]);
}
const STATE_HEADER = ['state', 'runs', 'starts at s', 'span s', 'sum of runs s', 'process CPU s in span'];

async function benchEngagement(options: BenchOptions, out: string[], figures: Record<string, unknown>): Promise<void> {
  const data = await engagementData(options.watchRows, options.seed);
  const watchRows = data.rows[WATCHED] ?? 0;
  const totalRows = Object.values(data.rows).reduce((sum, rows) => sum + rows, 0);
  const inputDir = await inputFolder(`engagement-w${options.watchRows}-s${options.seed}`, { engagement: data });

  // On a shared machine one run says little: each subject runs `repeat` times, interleaved so that
  // a noisy minute hits all of them, and the tables show each subject's median run.
  const floorOut = path.join(CACHE_DIR, 'out', 'floor');
  const pandasOut = path.join(CACHE_DIR, 'out', 'pandas');
  const workflows: (ChildFigures & { report: WorkflowChildReport })[] = [];
  const floors: ChildFigures[] = [];
  const pandasRuns: ChildFigures[] = [];
  for (let run = 1; run <= options.repeat; run++) {
    const of = options.repeat > 1 ? ` (run ${run} of ${options.repeat})` : '';
    process.stderr.write(`workflow on ${thousands(watchRows)} watch rows${of} ...\n`);
    workflows.push(await runWorkflow('engagement', inputDir, options.duckdbMemory));
    process.stderr.write(`DuckDB floor${of} ...\n`);
    floors.push(await runMeasuredChild(tsChild('duckdb-floor.ts', { files: engagementFiles(data), outDir: floorOut })));
    if (options.pandas) {
      process.stderr.write(`pandas${of} ...\n`);
      await rm(pandasOut, { recursive: true, force: true });
      pandasRuns.push(await runMeasuredChild({ command: '/usr/bin/python3', args: [path.join(__dirname, 'pandas_study.py'), inputDir, pandasOut] }));
    }
  }
  const workflow = medianRun(workflows);
  const floor = medianRun(floors);
  const pandas = pandasRuns.length > 0 ? medianRun(pandasRuns) : undefined;

  const subjects: [string, ChildFigures, number][] = [
    ['workflow (local runner)', workflow, workflow.report.totalMs],
    ['DuckDB floor (one query)', floor, floor.report.totalMs],
    ...(pandas ? ([['pandas/scipy', pandas, pandas.report.totalMs]] as [string, ChildFigures, number][]) : []),
  ];
  out.push(
    `## Engagement: ${thousands(watchRows)} watch rows (seed ${options.seed}; ${thousands(totalRows)} rows in 4 CSVs, ${megabytes(data.bytes)})`,
    '',
    markdownTable(
      ['subject', 'wall s (in process)', 'wall s (process)', 'watch rows/s', 'peak RSS'],
      subjects.map(([name, child, ms]) => [name, seconds(ms), seconds(child.processMs), thousands(watchRows / (ms / 1000)), megabytes(child.peakRssBytes)]),
    ),
    '',
    `Workflow / DuckDB floor: ${ratio(workflow.report.totalMs, floor.report.totalMs)} wall, ${ratio(workflow.peakRssBytes, floor.peakRssBytes)} peak RSS.`,
  );
  if (options.repeat > 1) {
    const range = (runs: ChildFigures[]): string => {
      const times = runs.map((run) => (run.report.totalMs as number) / 1000);
      return `${Math.min(...times).toFixed(1)}–${Math.max(...times).toFixed(1)} s`;
    };
    out.push(
      `${options.repeat} interleaved runs of each (medians above): workflow ${range(workflows)}, floor ${range(floors)}${pandas ? `, pandas ${range(pandasRuns)}` : ''}.`,
    );
  }
  if (pandas) {
    const speed = pandas.processMs / workflow.processMs;
    out.push(
      `Workflow vs pandas end to end (processes, start-up and imports included): ${speed >= 1 ? `${speed.toFixed(2)}× faster` : `${(1 / speed).toFixed(2)}× slower`}` +
        ` (in process: pandas / workflow ${ratio(pandas.report.totalMs, workflow.report.totalMs)}); peak RSS workflow / pandas ${ratio(workflow.peakRssBytes, pandas.peakRssBytes)}.`,
      `pandas stages (s): ${Object.entries(pandas.report.stages as Record<string, number>).map(([name, ms]) => `${name} ${seconds(ms)}`).join(', ')}.`,
    );
  }
  out.push('', '### Workflow states (engagement run)', '', markdownTable(STATE_HEADER, stateRows(workflow.report.states)), '');
  figures.engagement = { data, workflow, floor, pandas, runs: { workflows, floors, pandas: pandasRuns } };

  if (options.parquet) {
    process.stderr.write('Parquet conversion ...\n');
    const sizes = await parquetSizes(data.studyDir, ENGAGEMENT_TABLES, path.join(path.dirname(data.studyDir), 'parquet'));
    out.push(...parquetLines(sizes, 'engagement'));
    figures.engagementParquet = sizes;
  }
}

/** The run with the median in-process time (the lower middle one of an even count). */
function medianRun<T extends ChildFigures>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => (a.report.totalMs as number) - (b.report.totalMs as number));
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function benchMooc(options: BenchOptions, out: string[], figures: Record<string, unknown>): Promise<void> {
  const data: StudyData = options.moocReal ? await realMoocData() : await moocData(options.moocActions!, options.seed);
  const actions = data.rows['mooc_actions.tsv'] ?? 0;
  const label = options.moocReal ? 'real act-mooc data' : `generated, seed ${options.seed}`;
  const inputDir = await inputFolder(options.moocReal ? 'mooc-real' : `mooc-a${options.moocActions}-s${options.seed}`, { mooc: data });
  process.stderr.write(`MOOC branch on ${thousands(actions)} actions ...\n`);
  const workflow = await runWorkflow('mooc', inputDir, options.duckdbMemory);
  // The branch inside RunStudies: counts, model, analysis (input validation is a stage before it).
  const branch = workflow.report.states.filter((state) => MOOC_BRANCH_STATES.has(state.state));
  const branchStart = Math.min(...branch.map((state) => state.firstStartMs));
  const branchEnd = Math.max(...branch.map((state) => state.firstStartMs + state.spanMs));
  out.push(
    `## MOOC: ${thousands(actions)} actions (${label}, ${megabytes(data.bytes)})`,
    '',
    markdownTable(
      ['subject', 'wall s (in process)', 'MOOC branch s', 'actions/s (branch)', 'peak RSS'],
      [['workflow, MOOC only', seconds(workflow.report.totalMs), seconds(branchEnd - branchStart), thousands(actions / ((branchEnd - branchStart) / 1000)), megabytes(workflow.peakRssBytes)]],
    ),
    '',
    '### Workflow states (MOOC run)',
    '',
    markdownTable(STATE_HEADER, stateRows(workflow.report.states)),
    '',
  );
  figures.mooc = { data, workflow, branchMs: branchEnd - branchStart };
  if (options.parquet) {
    // The real data is never copied: its Parquet goes to a temporary folder, measured, then removed.
    const parquetDir = options.moocReal ? path.join(os.tmpdir(), `bench-mooc-parquet-${process.pid}`) : path.join(path.dirname(data.studyDir), 'parquet');
    try {
      const sizes = await parquetSizes(data.studyDir, MOOC_TABLES, parquetDir);
      out.push(...parquetLines(sizes, 'MOOC'));
      figures.moocParquet = sizes;
    } finally {
      if (options.moocReal) await rm(parquetDir, { recursive: true, force: true });
    }
  }
}

function parquetLines(sizes: { table: string; csvBytes: number; parquetBytes: number; partitions: number }[], study: string): string[] {
  const csv = sizes.reduce((sum, size) => sum + size.csvBytes, 0);
  const parquet = sizes.reduce((sum, size) => sum + size.parquetBytes, 0);
  return [
    `### Parquet (ZSTD${study === 'engagement' ? ', partitioned by year and quarter of the date column' : ''}) vs ${study} text files`,
    '',
    markdownTable(
      ['table', 'text bytes', 'Parquet bytes', 'Parquet / text', 'files'],
      [
        ...sizes.map((size) => [size.table, megabytes(size.csvBytes), megabytes(size.parquetBytes), percent(size.parquetBytes, size.csvBytes), size.partitions]),
        ['all', megabytes(csv), megabytes(parquet), percent(parquet, csv), sizes.reduce((sum, size) => sum + size.partitions, 0)],
      ],
    ),
    '',
  ];
}

async function benchBundles(out: string[], figures: Record<string, unknown>): Promise<void> {
  process.stderr.write('cdk synth ...\n');
  const sizes = await synthBundleSizes(path.join(CACHE_DIR, 'cdk.out'));
  out.push('## Lambda bundles (cdk synth: index.js per function, minified, AWS SDK external)', '');
  if (sizes.failure) out.push(`cdk synth failed: ${sizes.failure}${sizes.bundles.length ? ' (the bundles below were built before it failed)' : '; bundle sizes skipped'}.`, '');
  if (sizes.bundles.length) {
    out.push(
      markdownTable(
        ['function (step)', 'index.js', '< 1 MB'],
        sizes.bundles.map((bundle) => [
          bundle.step,
          bundle.indexJsBytes < 0 ? 'missing' : `${thousands(Math.round(bundle.indexJsBytes / 1000))} KB`,
          bundle.indexJsBytes >= 0 && bundle.indexJsBytes < MAX_BUNDLE_BYTES ? 'yes' : 'NO',
        ]),
      ),
      '',
    );
  }
  figures.bundles = sizes;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const out: string[] = [`# Benchmark ${new Date().toISOString()} (${os.cpus().length} CPUs, ${Math.round(os.totalmem() / 1e9)} GB, Node ${process.version})`, ''];
  const figures: Record<string, unknown> = { options };
  if (options.cohortStudents !== undefined) {
    await benchStatistics({ cohortStudents: options.cohortStudents, certificateStudents: options.certificateStudents!, seed: options.seed }, out, figures);
  }
  if (options.watchRows > 0) await benchEngagement(options, out, figures);
  if (options.watchRows > 0 && options.sqlStages) {
    process.stderr.write('SQL stages alone ...\n');
    const stages = await measureSqlStages({ watchRows: options.watchRows, seed: options.seed, ...(options.duckdbMemory !== undefined ? { memoryLimit: options.duckdbMemory } : {}) });
    out.push(stages.markdown);
    figures.sqlStages = stages.figures;
  }
  if (options.moocReal || options.moocActions !== undefined) await benchMooc(options, out, figures);
  if (options.synth) await benchBundles(out, figures);
  const text = out.join('\n');
  process.stdout.write(text + '\n');
  await mkdir(path.join(CACHE_DIR, 'reports'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(path.join(CACHE_DIR, 'reports', `${stamp}.md`), text + '\n');
  await writeFile(path.join(CACHE_DIR, 'reports', `${stamp}.json`), JSON.stringify(figures, null, 2) + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.message}\n`);
  process.exitCode = 1;
});
