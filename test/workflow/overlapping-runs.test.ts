// Two runs that overlap on ONE catalog (one DuckDB database behind the emulator, as one Glue
// database serves every execution in the cloud), with different inputs, periods and data ranges:
// their queries alternate, one query of each at a time, through the whole workflow, and each run's
// results are byte for byte those of the same run done alone. Also: no query a run executes
// creates, replaces, drops or alters a view or table.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillRunQueries } from '../../lambdas/athena/run-sql';
import type { AthenaStartQueryParameters, AthenaTaskExecutor } from '../../lambdas/athena/athena-task';
import { DuckDbAthena } from '../../lib/local/duckdb-athena';
import { LocalObjectStore } from '../../lib/local/local-object-store';
import { generateEngagementData } from '../../lib/synthetic/synthetic-files';
import type { RunRequest } from '../../lambdas/contracts/state-payloads';
import { runLocalWorkflow, type LocalRunResult, type SharedAthenaCatalog } from '../../lib/local/local-runner';
import { allStates, synthesizeWorkflow } from '../../lib/local/synthesized-definition';
import { fileTree } from '../support/file-tree';

const DDL = /\b(CREATE|REPLACE|DROP|ALTER)\b/i;

interface PlannedRun {
  runId: string;
  seed: number;
  students: number;
  request: RunRequest & { options: { dataStart: string; dataEnd: string; maxBadRowShare: number } };
}

// Different inputs (seeds, sizes), periods and declared data ranges; each range leaves out some of
// the generated rows (2020-01-01..2022-06-30), so the two runs quarantine different rows too.
const RUNS: PlannedRun[] = [
  { runId: 'monthly-2022q2', seed: 11, students: 900, request: { baseline: '2021Q2', comparison: '2022Q2', options: { dataStart: '2020-03-01', dataEnd: '2022-06-30', maxBadRowShare: 1 } } },
  { runId: 'manual-2021q4', seed: 12, students: 700, request: { baseline: '2021Q1', comparison: '2021Q4', options: { dataStart: '2020-01-01', dataEnd: '2022-01-31', maxBadRowShare: 1 } } },
];

/**
 * Lets the two runs' queries go in turns: a run's i-th query starts only once the other run has
 * issued its i-th (or has ended), so every query of one run meets the other run's rows and
 * writes in the shared tables, whatever the machine's speed.
 */
class Lockstep {
  private readonly issued = [0, 0];
  private readonly ended = [false, false];
  private waiting: (() => void)[] = [];
  /** Queries of both runs under way at once, at most. */
  mostAtOnce = 0;
  private underWay = 0;

  async turn(party: 0 | 1): Promise<void> {
    const index = ++this.issued[party]!;
    this.wake();
    const other = 1 - party;
    while (this.issued[other]! < index && !this.ended[other]) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  async run<T>(party: 0 | 1, query: () => Promise<T>): Promise<T> {
    await this.turn(party);
    this.mostAtOnce = Math.max(this.mostAtOnce, ++this.underWay);
    try {
      return await query();
    } finally {
      this.underWay--;
    }
  }

  end(party: 0 | 1): void {
    this.ended[party] = true;
    this.wake();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }
}

const root = mkdtempSync(path.join(os.tmpdir(), 'overlapping-runs-'));
const inputOf = (run: PlannedRun) => path.join(root, `input-${run.runId}`);
const executed: string[][] = [[], []];
const lockstep = new Lockstep();
let together: LocalRunResult[];
let alone: LocalRunResult[];
let catalogDirs: { checked: string; curated: string };

beforeAll(async () => {
  for (const run of RUNS) await generateEngagementData({ students: run.students, seed: run.seed, outDir: inputOf(run) });

  // The shared catalog: one database, one checked/ and one curated/ folder for both runs.
  const emptyInput = path.join(root, 'no-input');
  mkdirSync(emptyInput, { recursive: true });
  catalogDirs = { checked: path.join(root, 'catalog', 'checked'), curated: path.join(root, 'catalog', 'curated') };
  const catalog = await DuckDbAthena.open({
    store: new LocalObjectStore({ mounts: [{ prefix: '', dir: path.join(root, 'catalog', 'store') }] }),
    inputDir: emptyInput,
    checkedDir: catalogDirs.checked,
    curatedDir: catalogDirs.curated,
  });
  let parties = 0;
  const shared: SharedAthenaCatalog = {
    checkedDir: catalog.checkedDir,
    curatedDir: catalog.curatedDir,
    forRun: async (run) => {
      const party = parties++ as 0 | 1;
      const executor = await catalog.forRun(run);
      const turns: AthenaTaskExecutor = {
        startQueryExecutionSync: (parameters: AthenaStartQueryParameters) => {
          executed[party]!.push(parameters.QueryString);
          return lockstep.run(party, () => executor.startQueryExecutionSync(parameters));
        },
        close: async () => lockstep.end(party),
      };
      return turns;
    },
  };
  try {
    // One bucket (out folder) for both, as in the cloud.
    together = await Promise.all(
      RUNS.map((run) => runLocalWorkflow({ inputDir: inputOf(run), outDir: path.join(root, 'together'), runId: run.runId, request: run.request, sharedCatalog: shared })),
    );
  } finally {
    await catalog.close();
  }
  alone = [];
  for (const run of RUNS) {
    alone.push(await runLocalWorkflow({ inputDir: inputOf(run), outDir: path.join(root, `alone-${run.runId}`), runId: run.runId, request: run.request }));
  }
}, 600_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('two runs overlapping on one catalog', () => {
  it('both succeed, alone and together', () => {
    expect(together.map((result) => [result.runId, result.status, result.failure])).toEqual(RUNS.map((run) => [run.runId, 'succeeded', undefined]));
    expect(alone.map((result) => [result.runId, result.status, result.failure])).toEqual(RUNS.map((run) => [run.runId, 'succeeded', undefined]));
  });

  it('ran their queries in turns, side by side, on tables holding both runs\' rows', () => {
    expect(executed[0]!.length).toBeGreaterThan(10);
    expect(executed[1]!.length).toBe(executed[0]!.length);
    expect(lockstep.mostAtOnce).toBeGreaterThanOrEqual(2);
    for (const prefix of ['checked/checked_student_info', 'curated/curated_student_video_watched']) {
      const [kind, table] = prefix.split('/') as ['checked' | 'curated', string];
      expect(readdirSync(path.join(catalogDirs[kind], table)).sort()).toEqual(RUNS.map((run) => `run_id=${run.runId}`).sort());
    }
  });

  it('each publishes exactly the engagement results, quarantine and statistics of the same run done alone', () => {
    RUNS.forEach((run, index) => {
      const shared = fileTree(together[index]!.runDir);
      const own = fileTree(alone[index]!.runDir);
      const compared = [...own.keys()].filter((key) => /^(engagement|quarantine)\//.test(key));
      expect(compared).toContain('engagement/statistics.json');
      expect(compared.filter((key) => key.endsWith('.csv')).length).toBeGreaterThanOrEqual(10);
      for (const key of compared) expect(shared.get(key)?.equals(own.get(key)!), `${run.runId}: ${key}`).toBe(true);
      expect([...shared.keys()].filter((key) => /^(engagement|quarantine)\//.test(key)).sort()).toEqual(compared.sort());
    });
  });

  it('each counts the rows of its own input and applies its own data range', () => {
    RUNS.forEach((run, index) => {
      const quality = JSON.parse(readFileSync(path.join(together[index]!.runDir, 'data_quality.json'), 'utf8'));
      const alonePublished = JSON.parse(readFileSync(path.join(alone[index]!.runDir, 'data_quality.json'), 'utf8'));
      expect(quality.files).toEqual(alonePublished.files);
      expect(quality.data_range).toEqual({ start: run.request.options.dataStart, end: run.request.options.dataEnd });
      const info = quality.files.find((file: { file: string }) => file.file === 'student_info.csv');
      expect(info.input_rows).toBe(run.students);
      expect(info.reasons['date_registered outside the data range']).toBeGreaterThan(0);
    });
  });
});

describe('queries a run executes', () => {
  it('create, replace, drop or alter no view or table (the queries run above)', () => {
    for (const queries of executed) for (const sql of queries) expect(sql).not.toMatch(DDL);
  });

  it('are all filled-in templates of PlanRun: the definition holds no fixed SQL and no template does DDL', async () => {
    const { definition } = await synthesizeWorkflow();
    const athenaStates = allStates(definition).filter(([, state]) => state.Type === 'Task' && String(state.Resource).includes(':athena:startQueryExecution'));
    expect(athenaStates.length).toBeGreaterThan(10);
    for (const [name, state] of athenaStates) {
      expect(state.Parameters.QueryString, name).toBeUndefined();
      expect(state.Parameters['QueryString.$'], name).toMatch(/^\$\.(runQueries\.\w+|sql)$/);
    }
    const templates = definition.States.PlanRun.Parameters.queryTemplates as Record<string, string>;
    const filled = fillRunQueries(templates, { runId: 'any-run', dataStart: '2020-01-01', dataEnd: '2022-06-30' });
    expect(Object.keys(filled).length).toBe(13);
    for (const [key, sql] of Object.entries(filled)) {
      expect(sql, key).not.toMatch(DDL);
      expect(sql, key).not.toContain('{{');
    }
  });
});
