#!/usr/bin/env node
// The `engagement` command line: run the workflow locally, run the statistics on period files,
// generate synthetic data. `engagement --help` lists everything.
import { parseArgs } from 'node:util';
import { generateEngagementData, generateMoocData } from '../lambdas/io/synthetic-files';
import { UsageError, keyValueOptions, positiveInteger, requiredString } from '../lib/cli/arguments';
import { resultsCommand } from '../lib/cli/results-command';
import { describeResult, runCommand, statsCommand } from '../lib/cli/run-command';

const HELP = `engagement-workflow: did users become more engaged, who drops out, and why.

Usage:
  engagement run --input DIR --out DIR [--baseline 2021Q2 --comparison 2022Q2 | --rolling]
                 [--run-id ID] [--option name=value ...] [--json]
      Runs the whole workflow locally (the same state machine as in AWS; SQL on DuckDB).
      DIR holds engagement/ (student_info.csv, student_purchases.csv, student_video_watched.csv,
      student_certificates.csv) and/or mooc/ (mooc_actions.tsv, mooc_action_features.tsv,
      mooc_action_labels.tsv); a study whose folder is absent is skipped. Results go to
      <out>/<runId>/, manifest.json last. Options: outlierQuantile, alpha, seed, testFraction,
      predictMinutes.
  engagement stats --periods DIR --out DIR [--run-id ID] [--option name=value ...] [--json]
      Statistics only (outliers, tests, correlation, probabilities, regression) on a folder of
      minutes_watched_<period>_paid_<0|1>.csv files and minutes_and_certificates.csv.
  engagement generate --out DIR [--students N] [--mooc-users N] [--seed S]
      Writes seeded synthetic input in the real schemas: DIR/engagement/ and DIR/mooc/
      (--students 0 or --mooc-users 0 leaves that study out).
  engagement results list [--bucket B | --stack NAME | --local DIR]
      Lists runs (id, date, status, periods) newest first, from their manifests.
  engagement results pull <runId|latest> --to DIR [--bucket B | --stack NAME | --local DIR]
                          [--presign [--expires SECONDS]]
      Downloads a run, checking sizes and sha256 against its manifest; --presign prints
      time-limited links instead (S3 only). --stack reads the bucket from a deployed stack.
  engagement --help

Exit codes: 0 success, 1 the run failed (see <out>/<runId>/_FAILED.json), 2 bad usage or input.
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command ? 0 : 2;
  }
  if (command === 'run') {
    const { values } = parseArgs({
      args: rest,
      options: {
        input: { type: 'string' },
        out: { type: 'string' },
        baseline: { type: 'string' },
        comparison: { type: 'string' },
        rolling: { type: 'boolean' },
        'run-id': { type: 'string' },
        option: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
      strict: true,
    });
    const options = keyValueOptions(values.option);
    const result = await runCommand({
      inputDir: requiredString(values, 'input'),
      outDir: requiredString(values, 'out'),
      runId: values['run-id'],
      quiet: values.json,
      request: {
        ...(values.baseline !== undefined ? { baseline: values.baseline } : {}),
        ...(values.comparison !== undefined ? { comparison: values.comparison } : {}),
        ...(values.rolling ? { rolling: true } : {}),
        ...(options ? { options } : {}),
      },
    });
    return report(result, values.json);
  }
  if (command === 'stats') {
    const { values } = parseArgs({
      args: rest,
      options: { periods: { type: 'string' }, out: { type: 'string' }, 'run-id': { type: 'string' }, option: { type: 'string', multiple: true }, json: { type: 'boolean' } },
      strict: true,
    });
    const result = await statsCommand({
      periodsDir: requiredString(values, 'periods'),
      outDir: requiredString(values, 'out'),
      runId: values['run-id'],
      quiet: values.json,
      analysisOptions: keyValueOptions(values.option),
    });
    return report(result, values.json);
  }
  if (command === 'generate') {
    const { values } = parseArgs({
      args: rest,
      options: { out: { type: 'string' }, students: { type: 'string' }, 'mooc-users': { type: 'string' }, seed: { type: 'string' } },
      strict: true,
    });
    const outDir = requiredString(values, 'out');
    const seed = positiveInteger(values, 'seed', 42);
    const students = positiveInteger(values, 'students', 20000);
    const moocUsers = positiveInteger(values, 'mooc-users', 3000);
    if (students > 0) {
      const generated = await generateEngagementData({ students, seed, outDir });
      process.stderr.write(`engagement/: ${JSON.stringify(generated.rows)} (${generated.bytes} bytes)\n`);
    }
    if (moocUsers > 0) {
      const generated = await generateMoocData({ users: moocUsers, seed, outDir });
      process.stderr.write(`mooc/: ${JSON.stringify(generated.rows)} (${generated.bytes} bytes)\n`);
    }
    process.stdout.write(`${outDir}\n`);
    return 0;
  }
  if (command === 'results') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        bucket: { type: 'string' },
        stack: { type: 'string' },
        local: { type: 'string' },
        to: { type: 'string' },
        presign: { type: 'boolean' },
        expires: { type: 'string' },
      },
      strict: true,
    });
    const [action, runId] = positionals;
    const source = { bucket: values.bucket, stack: values.stack, local: values.local };
    if (action === 'list') {
      process.stdout.write(await resultsCommand(source, { action: 'list' }));
      return 0;
    }
    if (action === 'pull') {
      if (!runId) throw new UsageError('results pull needs a run id or latest');
      const output = values.presign
        ? await resultsCommand(source, { action: 'links', runId, seconds: positiveInteger(values, 'expires', 3600) })
        : await resultsCommand(source, { action: 'pull', runId, toDir: requiredString(values, 'to') });
      process.stdout.write(output);
      return 0;
    }
    throw new UsageError('results takes list or pull; see engagement --help');
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}; see engagement --help`);
}

function report(result: Awaited<ReturnType<typeof runCommand>>, json: boolean | undefined): number {
  if (json) process.stdout.write(JSON.stringify(result.manifest ?? { run_id: result.runId, status: 'failed', failure: result.failure }, null, 2) + '\n');
  else process.stdout.write(describeResult(result) + '\n');
  return result.status === 'succeeded' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    // Every ERR_PARSE_ARGS_* (unknown flag, missing value, unexpected positional) is bad usage too.
    const usage = error instanceof UsageError || error.name === 'PeriodFilesError' || /^ERR_PARSE_ARGS_/.test(String((error as NodeJS.ErrnoException).code));
    process.stderr.write(`engagement: ${error.message}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
