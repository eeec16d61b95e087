// The commands of `engagement` and their options: one table that both parses the arguments and
// writes the help, so the help cannot list a flag the parser refuses or leave one out. Defaults
// come from the code that applies them.
import { ANALYSIS_OPTION_DESCRIPTIONS, DEFAULT_ANALYSIS_OPTIONS } from '../../lambdas/contracts/run-options';
import { DEFAULT_BASELINE, DEFAULT_COMPARISON } from '../../lambdas/analysis/periods';
import { DEFAULT_HISTORY_RUNS } from '../../lambdas/steps/run-history';

export const GENERATE_DEFAULTS = { students: 20000, moocUsers: 3000, seed: 42 } as const;
export const DEFAULT_PRESIGN_SECONDS = 3600;
export { DEFAULT_HISTORY_RUNS };

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The value's placeholder in the help, e.g. DIR. */
  value?: string;
  /** What is used when the flag is absent, as the help shows it (not a parseArgs default). */
  defaultShown?: string;
  required?: boolean;
  text: string;
}

export interface CommandSpec {
  name: string;
  usage: string;
  summary: string;
  details?: string;
  flags: Readonly<Record<string, FlagSpec>>;
  /** Takes --option name=value with the analysis options. */
  analysisOptions?: boolean;
}

const outFlag = (text: string) => ({ type: 'string', value: 'DIR', required: true, text }) as const;
const runIdFlag = { type: 'string', value: 'ID', defaultShown: 'a new id from the start time, e.g. 20260101T120000Z, or 20260101T120000Z-2 when that is taken', text: 'run id: 1-80 letters, digits, - or _, starting with a letter or digit; the run writes to <out>/<ID>/ (the same id again reruns it)' } as const;
const optionFlag = { type: 'string', multiple: true, value: 'name=value', text: 'an analysis option (repeatable); see "Analysis options" below' } as const;
const jsonFlag = { type: 'boolean', text: 'print the manifest (or the failure) as JSON on stdout, no progress on stderr' } as const;
const sourceFlags = {
  bucket: { type: 'string', value: 'NAME', text: 'read the runs from this S3 bucket' },
  stack: { type: 'string', value: 'NAME', text: "read the runs from a deployed stack's bucket (its DataBucketName output)" },
  local: { type: 'string', value: 'DIR', text: 'read the runs from a local results folder (a run --out folder)' },
} as const;

// Each command's flags, typed literally so that node:util parseArgs infers each value's type.
export const FLAGS = {
  run: {
    input: { type: 'string', value: 'DIR', required: true, text: 'folder with engagement/ and/or mooc/ (read only, never changed)' },
    out: outFlag('results folder; the run writes <out>/<runId>/'),
    baseline: { type: 'string', value: 'PERIOD', defaultShown: DEFAULT_BASELINE, text: 'baseline quarter' },
    comparison: { type: 'string', value: 'PERIOD', defaultShown: DEFAULT_COMPARISON, text: 'comparison quarter' },
    rolling: { type: 'boolean', text: 'compare the latest complete quarter with the same quarter a year earlier' },
    'run-id': runIdFlag,
    option: optionFlag,
    json: jsonFlag,
  },
  stats: {
    periods: { type: 'string', value: 'DIR', required: true, text: 'folder of period files' },
    out: outFlag('results folder; the run writes <out>/<runId>/'),
    'run-id': runIdFlag,
    option: optionFlag,
    json: jsonFlag,
  },
  generate: {
    out: outFlag('folder to write engagement/ and mooc/ into'),
    students: { type: 'string', value: 'N', defaultShown: String(GENERATE_DEFAULTS.students), text: 'students of the engagement study (0 leaves it out)' },
    'mooc-users': { type: 'string', value: 'N', defaultShown: String(GENERATE_DEFAULTS.moocUsers), text: 'users of the MOOC study (0 leaves it out)' },
    seed: { type: 'string', value: 'S', defaultShown: String(GENERATE_DEFAULTS.seed), text: 'seed: the same seed writes the same files' },
  },
  resultsList: { ...sourceFlags },
  resultsPull: {
    to: { type: 'string', value: 'DIR', text: 'folder to download into (needed unless --presign)' },
    ...sourceFlags,
    presign: { type: 'boolean', text: 'print time-limited links instead of downloading (S3 only)' },
    expires: { type: 'string', value: 'SECONDS', defaultShown: String(DEFAULT_PRESIGN_SECONDS), text: "how long --presign's links work (at most 604800, 7 days, as S3 allows)" },
  },
  resultsHistory: {
    ...sourceFlags,
    last: { type: 'string', value: 'N', defaultShown: String(DEFAULT_HISTORY_RUNS), text: 'how many of the latest succeeded runs to show' },
    csv: { type: 'boolean', text: 'write the same table as CSV' },
  },
} as const satisfies Record<string, Record<string, FlagSpec>>;

export const COMMANDS: CommandSpec[] = [
  {
    name: 'run',
    usage: 'engagement run --input DIR --out DIR [--baseline 2021Q2 --comparison 2022Q2 | --rolling] [--run-id ID] [--option name=value ...] [--json]',
    summary: 'Runs the whole workflow locally (the same state machine as in AWS; SQL on DuckDB).',
    details:
      '--input DIR holds engagement/ (student_info.csv, student_purchases.csv, student_video_watched.csv,\n' +
      'student_certificates.csv) and/or mooc/ (mooc_actions.tsv, mooc_action_features.tsv,\n' +
      'mooc_action_labels.tsv); a study whose folder is absent is skipped. Results go to\n' +
      '<out>/<runId>/, manifest.json last. Progress goes to stderr.',
    flags: FLAGS.run,
    analysisOptions: true,
  },
  {
    name: 'stats',
    usage: 'engagement stats --periods DIR --out DIR [--run-id ID] [--option name=value ...] [--json]',
    summary: 'Statistics only (outliers, tests, correlation, probabilities, regression) on period files.',
    details: '--periods DIR holds minutes_watched_<period>_paid_<0|1>.csv files and minutes_and_certificates.csv;\nthey are copied into the run folder, never changed.',
    flags: FLAGS.stats,
    analysisOptions: true,
  },
  {
    name: 'generate',
    usage: 'engagement generate --out DIR [--students N] [--mooc-users N] [--seed S]',
    summary: 'Writes seeded synthetic input in the real schemas: DIR/engagement/ and DIR/mooc/.',
    flags: FLAGS.generate,
  },
  {
    name: 'results list',
    usage: 'engagement results list (--bucket NAME | --stack NAME | --local DIR)',
    summary: 'Lists runs (id, date, status, periods) newest first, from their manifests.',
    flags: FLAGS.resultsList,
  },
  {
    name: 'results pull',
    usage: 'engagement results pull <runId|latest> --to DIR (--bucket NAME | --stack NAME | --local DIR) [--presign [--expires SECONDS]]',
    summary: 'Downloads a run, checking sizes and sha256 against its manifest.',
    details: 'Give exactly one of --bucket, --stack, --local.',
    flags: FLAGS.resultsPull,
  },
  {
    name: 'results history',
    usage: 'engagement results history (--bucket NAME | --stack NAME | --local DIR) [--last N] [--csv]',
    summary: 'Headline figures of the last N succeeded runs side by side, oldest first, from their result tables.',
    details:
      'Per run: periods; per plan the students kept, the mean minutes of both periods, the change, the\n' +
      'two-sided p and whether it is significant; the correlation, the MOOC drop-out rate and test AUC.\n' +
      'flags names a change of direction or significance since the run above, or the run it repeats.',
    flags: FLAGS.resultsHistory,
  },
  {
    name: 'help',
    usage: 'engagement help [command]',
    summary: 'Prints this help, or one command\'s help (also: engagement <command> --help).',
    flags: {},
  },
];

export function commandSpec(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}

const EXIT_CODES =
  'Exit codes: 0 success, 1 the run failed, bad input data included (see <out>/<runId>/_FAILED.json),\n' +
  '2 bad usage (a flag, an option, a path or a run id; nothing is written),\n' +
  '130/143/129 stopped by Ctrl-C/SIGTERM/SIGHUP (rerun the run id).\n';

export function generalHelp(): string {
  const lines = ['engagement-workflow: did users become more engaged, who drops out, and why.', '', 'Usage:'];
  for (const command of COMMANDS) lines.push(`  ${command.usage}`, `      ${command.summary}`);
  lines.push('', 'engagement <command> --help (or engagement help <command>) lists its options and their defaults.', '');
  return lines.join('\n') + EXIT_CODES;
}

export function commandHelp(command: CommandSpec): string {
  const lines = [`Usage: ${command.usage}`, '', command.summary];
  if (command.details) lines.push(command.details);
  const flags = Object.entries(command.flags);
  if (flags.length > 0) {
    lines.push('', 'Options:');
    const left = flags.map(([flag, spec]) => `--${flag}${spec.value ? ` ${spec.value}` : ''}`);
    const width = Math.max(...left.map((text) => text.length));
    flags.forEach(([, spec], index) => {
      const note = spec.required ? ' (required)' : spec.defaultShown !== undefined ? ` (default: ${spec.defaultShown})` : '';
      lines.push(`  ${left[index]!.padEnd(width)}  ${spec.text}${note}`);
    });
  }
  if (command.analysisOptions) {
    lines.push('', 'Analysis options (--option name=value):');
    const names = Object.keys(DEFAULT_ANALYSIS_OPTIONS) as (keyof typeof DEFAULT_ANALYSIS_OPTIONS)[];
    const width = Math.max(...names.map((name) => name.length));
    for (const name of names) lines.push(`  ${name.padEnd(width)}  ${ANALYSIS_OPTION_DESCRIPTIONS[name]} (default: ${DEFAULT_ANALYSIS_OPTIONS[name]})`);
  }
  lines.push('', '');
  return lines.join('\n') + EXIT_CODES;
}
