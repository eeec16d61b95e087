#!/usr/bin/env node
// The `engagement` command line: run the workflow locally, run the statistics on period files,
// generate synthetic data, list and pull results. `engagement --help` lists the commands, `engagement
// <command> --help` one command's flags and defaults.
import { UsageError, folderToWrite, keyValueOptions, parseCommandLine, positiveInteger, requiredString } from '../lib/cli/arguments';
import { COMMANDS, DEFAULT_HISTORY_RUNS, DEFAULT_PRESIGN_SECONDS, GENERATE_DEFAULTS, commandHelp, commandSpec, FLAGS, generalHelp } from '../lib/cli/commands';
import type { LocalRunResult } from '../lib/local/local-runner';

// Each command's modules load when that command runs: help and usage errors answer at once, and
// `generate` or `results` never load DuckDB, the state machine interpreter or the CDK.
const runCommands = () => import('../lib/cli/run-command');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || (command === 'help' && rest.length === 0)) {
    process.stdout.write(generalHelp());
    return command ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) return printHelp([command, ...rest]);
  if (command === 'help') return printHelp(rest);
  if (command === 'run') {
    const { values } = parseCommandLine(rest, FLAGS.run);
    const options = keyValueOptions(values.option);
    const { runCommand } = await runCommands();
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
    const { values } = parseCommandLine(rest, FLAGS.stats);
    const { statsCommand } = await runCommands();
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
    const { values } = parseCommandLine(rest, FLAGS.generate);
    const outDir = folderToWrite(requiredString(values, 'out'), '--out');
    // The generator's random streams take 32-bit seeds, as the run's seed option does.
    const seed = positiveInteger(values, 'seed', GENERATE_DEFAULTS.seed, { max: 0xffffffff });
    const students = positiveInteger(values, 'students', GENERATE_DEFAULTS.students);
    const moocUsers = positiveInteger(values, 'mooc-users', GENERATE_DEFAULTS.moocUsers);
    if (students === 0 && moocUsers === 0) throw new UsageError('--students 0 and --mooc-users 0 leave nothing to generate');
    const { generateEngagementData, generateMoocData } = await import('../lib/synthetic/synthetic-files');
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
    // One parse for every action, so the flags may stand before or after list/pull/history.
    const { values, positionals } = parseCommandLine(rest, { ...FLAGS.resultsList, ...FLAGS.resultsPull, ...FLAGS.resultsHistory }, true);
    const [action, runId] = positionals;
    const takes = action === 'pull' ? 1 : 0;
    if (positionals.length > 1 + takes) throw new UsageError(`results ${action} takes ${takes === 1 ? 'one run id' : 'no argument'}; unexpected: ${positionals.slice(1 + takes).join(' ')}`);
    // Each action's own flags only: a flag of another action (list --csv) would be ignored without a word.
    const own = { list: FLAGS.resultsList, pull: FLAGS.resultsPull, history: FLAGS.resultsHistory }[action as 'list' | 'pull' | 'history'];
    const foreign = own ? Object.keys(values).filter((flag) => values[flag as keyof typeof values] !== undefined && !(flag in own)) : [];
    if (foreign.length > 0) throw new UsageError(`results ${action} does not take ${foreign.map((flag) => `--${flag}`).join(', ')}; see engagement results ${action} --help`);
    if (action === 'pull' && values.expires !== undefined && !values.presign) throw new UsageError('--expires goes with --presign (how long the links work)');
    const source = { bucket: values.bucket, stack: values.stack, local: values.local };
    const { historyCommand, resultsCommand } = await import('../lib/cli/results-command');
    if (action === 'list') {
      process.stdout.write(await resultsCommand(source, { action: 'list' }));
      return 0;
    }
    if (action === 'pull') {
      if (!runId) throw new UsageError('results pull needs a run id or latest');
      const output = values.presign
        ? await resultsCommand(source, { action: 'links', runId, seconds: positiveInteger(values, 'expires', DEFAULT_PRESIGN_SECONDS, { min: 1, max: 604800 }) })
        : await resultsCommand(source, { action: 'pull', runId, toDir: folderToWrite(requiredString(values, 'to'), '--to') });
      process.stdout.write(output);
      return 0;
    }
    if (action === 'history') {
      process.stdout.write(await historyCommand(source, { last: positiveInteger(values, 'last', DEFAULT_HISTORY_RUNS, { min: 1 }), csv: values.csv === true }));
      return 0;
    }
    throw new UsageError('results takes list, pull or history; see engagement --help');
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}; see engagement --help`);
}

/** `engagement help run`, `engagement results pull --help`: one command's help on stdout, exit 0. */
function printHelp(words: string[]): number {
  const [command, ...rest] = words;
  if (command === 'results') {
    const action = rest.find((word) => word === 'list' || word === 'pull' || word === 'history');
    const specs = action ? [commandSpec(`results ${action}`)!] : COMMANDS.filter((spec) => spec.name.startsWith('results '));
    process.stdout.write(specs.map(commandHelp).join('\n'));
    return 0;
  }
  const spec = command === undefined ? undefined : commandSpec(command);
  if (!spec) throw new UsageError(`no help for ${JSON.stringify(words.join(' '))}: not a command; see engagement --help`);
  process.stdout.write(commandHelp(spec));
  return 0;
}

async function report(result: LocalRunResult, json: boolean | undefined): Promise<number> {
  if (json) {
    const failed = { run_id: result.runId, status: 'failed', failure: result.failure, ...(result.earlierResultKept ? { earlier_result_kept: true } : {}) };
    process.stdout.write(JSON.stringify(result.status === 'succeeded' ? result.manifest : failed, null, 2) + '\n');
  }
  else process.stdout.write((await runCommands()).describeResult(result) + '\n');
  return result.status === 'succeeded' ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    // Every ERR_PARSE_ARGS_* (unknown flag, missing value, unexpected positional) is bad usage too,
    // as is a malformed run id anywhere.
    const usage =
      error instanceof UsageError || error.name === 'PeriodFilesError' || error.name === 'RunIdError' || /^ERR_PARSE_ARGS_/.test(String((error as NodeJS.ErrnoException).code));
    process.stderr.write(`engagement: ${error.message}\n`);
    // --json promises the failure as JSON on stdout, whatever stopped the command (a busy run id, an unwritable --out).
    // Bad usage is a UsageError however it was found (parseArgs throws a TypeError for an unknown flag).
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ status: 'failed', error: usage ? 'UsageError' : error.name, message: error.message }, null, 2) + '\n');
    process.exitCode = usage ? 2 : 1;
  },
);
