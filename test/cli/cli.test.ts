// The `engagement` command line as a user runs it: a child process, its exit code and its output.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEngagementData, generateMoocData } from '../../lib/synthetic/synthetic-files';
import { itRequiring } from '../support/requirements';
import { checkRunFolder, runFolderChecker } from '../workflow/check-run-folder';
import { CLI, REPO, engagement, engagementWith, signalOnceFileExists, signalOnceStateSeen, spawnCli, type Outcome } from './run-cli';
import { runLocalWorkflow } from '../../lib/local/local-runner';

/** What a run left in a TMPDIR, leaving out tsx's compile cache (written only when the bin falls back to tsx). */
const leftIn = (tmp: string): string[] => readdirSync(tmp).filter((name) => !name.startsWith('tsx-'));

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const root = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('engagement CLI usage', () => {
  it('prints the help with exit 0, and with exit 2 when no command is given', async () => {
    const [help, bare] = await Promise.all([engagement('--help'), engagement()]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^engagement-workflow:/);
    for (const command of ['engagement run --input DIR --out DIR', 'engagement stats --periods DIR --out DIR', 'engagement generate --out DIR']) {
      expect(help.stdout).toContain(command);
    }
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Usage:');
  });

  it('refuses an unknown command, a missing --input and an unknown flag with exit 2', async () => {
    const aFile = path.join(root, 'a-file.csv');
    writeFileSync(aFile, 'student_id,date_registered\n');
    const noStudyInput = path.join(root, 'no-study-input');
    mkdirSync(path.join(noStudyInput, 'other'), { recursive: true });
    const [unknown, missingInput, unknownFlag, missingFolder, fileAsFolder, noStudy, twice, optionTwice, badIdJson, badPullId, unknownFlagJson] = await Promise.all([
      engagement('frobnicate'),
      engagement('run', '--out', path.join(root, 'unused')),
      engagement('run', '--input', root, '--out', path.join(root, 'unused'), '--colour', 'red'),
      engagement('run', '--input', path.join(root, 'does-not-exist'), '--out', path.join(root, 'unused')),
      engagement('run', '--input', aFile, '--out', path.join(root, 'unused')),
      engagement('run', '--input', noStudyInput, '--out', path.join(root, 'unused')),
      engagement('run', '--input', root, '--out', path.join(root, 'unused'), '--out', path.join(root, 'unused-too')),
      engagement('run', '--input', root, '--out', path.join(root, 'unused'), '--option', 'alpha=0.1', '--option', 'alpha=0.01'),
      engagement('run', '--input', root, '--out', path.join(root, 'unused'), '--run-id', 'bad id', '--json'),
      engagement('results', 'pull', '../x', '--to', path.join(root, 'unused'), '--local', root),
      engagement('run', '--input', root, '--out', path.join(root, 'unused'), '--colour', 'red', '--json'),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('engagement: unknown command "frobnicate"; see engagement --help');
    expect(missingInput.code).toBe(2);
    expect(missingInput.stderr).toContain('engagement: --input is required');
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toMatch(/--colour/);
    expect(missingFolder.code).toBe(2);
    expect(missingFolder.stderr).toMatch(/input folder .*does-not-exist does not exist/);
    // A flag given twice would silently keep the last value.
    expect([twice.code, optionTwice.code]).toEqual([2, 2]);
    expect(twice.stderr).toContain('engagement: --out is given more than once');
    expect(optionTwice.stderr).toContain('engagement: --option alpha is given more than once');
    // --json answers on stdout even when the command stops before a run.
    expect(badIdJson.code).toBe(2);
    expect(JSON.parse(badIdJson.stdout)).toMatchObject({ status: 'failed', error: 'UsageError', message: expect.stringMatching(/run id must be/) });
    // Bad usage is named so however it was found (Node's argument parser throws a TypeError).
    expect(unknownFlagJson.code).toBe(2);
    expect(JSON.parse(unknownFlagJson.stdout)).toMatchObject({ status: 'failed', error: 'UsageError', message: expect.stringMatching(/colour/) });
    expect(badPullId.code).toBe(2);
    expect(badPullId.stderr).toMatch(/run id must be/);
    expect(noStudy.code).toBe(2);
    expect(noStudy.stderr).toMatch(/input folder .* holds neither engagement\/ nor mooc\//);
    expect(fileAsFolder.code).toBe(2);
    expect(fileAsFolder.stderr).toMatch(/input folder .*a-file\.csv is a file, not a folder/);
  });

  it('refuses with exit 2 a results or generate folder that is a file or missing, and arguments no command takes', async () => {
    const aFile = path.join(root, 'paths-a-file');
    writeFileSync(aFile, 'not a folder');
    const results = mkdtempSync(path.join(root, 'paths-results-'));
    // --to inside a run's folder: pulling into another run's folder (here, a pulled copy's).
    const pulledRun = path.join(results, 'r-earlier');
    mkdirSync(pulledRun);
    writeFileSync(path.join(pulledRun, '_FAILED.json'), JSON.stringify({ run_id: 'r-earlier', status: 'failed' }));
    const cases: [string[], RegExp][] = [
      [['results', 'list', '--local', path.join(root, 'no-such-results')], /results \(--local\) folder .*no-such-results does not exist/],
      [['results', 'history', '--local', aFile], /results \(--local\) folder .* is a file, not a folder/],
      [['results', 'pull', 'r1', '--to', aFile, '--local', results], /--to .* is a file, not a folder/],
      [['results', 'pull', 'r1', '--to', path.join(pulledRun, 'copies'), '--local', results], /--to .* is inside the run folder .*r-earlier/],
      [['results', 'pull', 'r1', 'r2', '--to', path.join(root, 'pulled'), '--local', results], /results pull takes one run id; unexpected: r2/],
      [['results', 'list', 'extra', '--local', results], /results list takes no argument; unexpected: extra/],
      // Another action's flag would be ignored without a word.
      [['results', 'list', '--local', results, '--csv'], /results list does not take --csv/],
      [['results', 'history', '--local', results, '--to', path.join(root, 'pulled')], /results history does not take --to/],
      [['results', 'pull', 'r1', '--to', path.join(root, 'pulled'), '--local', results, '--expires', '10'], /--expires goes with --presign/],
      [['generate', '--out', path.join(aFile, 'sub')], /--out .* cannot be created: .* is a file, not a folder/],
      // Numbers are digits in range: no hex, exponent or rounding of a 20-digit number to another one.
      [['generate', '--out', path.join(root, 'gen'), '--seed', '4294967338'], /--seed must be a whole number from 0 to 4294967295, got "4294967338"/],
      [['generate', '--out', path.join(root, 'gen'), '--seed', '0x2a'], /--seed must be a whole number from 0 to 4294967295/],
      [['generate', '--out', path.join(root, 'gen'), '--students', '99999999999999999999'], /--students must be a whole number from 0 to 9007199254740991/],
      [['generate', '--out', path.join(root, 'gen'), '--students', '0', '--mooc-users', '0'], /leave nothing to generate/],
      [['results', 'history', '--local', results, '--last', '0'], /--last must be a whole number from 1 to/],
    ];
    for (const [args, message] of cases) {
      const result = await engagement(...args);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(readFileSync(aFile, 'utf8')).toBe('not a folder');
    expect(existsSync(path.join(root, 'gen'))).toBe(false);
  });

  it('refuses bad usage with exit 2 before any run folder, lock or scratch folder exists', async () => {
    const input = path.join(root, 'usage-input');
    mkdirSync(path.join(input, 'engagement'), { recursive: true });
    mkdirSync(path.join(input, 'mooc'), { recursive: true });
    const aFile = path.join(root, 'usage-a-file');
    writeFileSync(aFile, 'not a folder');
    const out = path.join(root, 'usage-out');
    const cases: [string[], RegExp][] = [
      [['--baseline', '2021Q5'], /baseline must be a quarter such as 2021Q2, got "2021Q5"/],
      [['--baseline', '2022Q2', '--comparison', '2021Q2'], /baseline/],
      [['--rolling', '--baseline', '2021Q2'], /either rolling or baseline/],
      [['--option', 'alpha=2'], /alpha/],
      [['--option', 'colour=red'], /colour/],
      [['--option', 'alpha'], /--option must look like name=value/],
      [['--colour', 'red'], /colour/],
      [['--run-id', '../x'], /--run-id: run id must be/],
      [['--run-id', 'a b'], /--run-id: run id must be/],
      [['--run-id', 'x'.repeat(200)], /--run-id: run id must be/],
      [['--run-id', '.hidden'], /--run-id: run id must be/],
    ];
    // A few at a time: each is a process of its own.
    for (let start = 0; start < cases.length; start += 4) {
      await Promise.all(
        cases.slice(start, start + 4).map(async ([extra, message]) => {
          const tmp = mkdtempSync(path.join(root, 'tmpdir-'));
          const result = await engagementWith({ TMPDIR: tmp }, 'run', '--input', input, '--out', out, ...extra);
          expect(result.code, `${extra.join(' ')}: ${result.stderr}`).toBe(2);
          expect(result.stderr, extra.join(' ')).toMatch(message);
          expect(existsSync(out), extra.join(' ')).toBe(false);
          expect(leftIn(tmp), extra.join(' ')).toEqual([]);
        }),
      );
    }
    // A folder of an earlier run (its manifest.json marks it), and a results folder where the run's folder would be a file.
    const earlierRun = path.join(root, 'usage-results', 'r0');
    mkdirSync(earlierRun, { recursive: true });
    writeFileSync(path.join(earlierRun, 'manifest.json'), JSON.stringify({ run_id: 'r0', status: 'succeeded' }));
    // Another project's manifest.json (a web app's) does not make its folder a run's.
    const webApp = path.join(root, 'usage-web-app');
    mkdirSync(webApp);
    writeFileSync(path.join(webApp, 'manifest.json'), JSON.stringify({ name: 'app', start_url: '/' }));
    const fileWhereRunGoes = path.join(root, 'usage-results-file');
    mkdirSync(fileWhereRunGoes);
    writeFileSync(path.join(fileWhereRunGoes, 'r1'), 'not a run folder');
    const outs: [string, RegExp][] = [
      [earlierRun, /--out .*r0 is inside the run folder .*r0 \(a rerun of that run empties it\)/],
      [path.join(earlierRun, 'nested', 'results'), /--out .* is inside the run folder .*r0 /],
      [fileWhereRunGoes, /the run folder .*usage-results-file\/r1 is a file, not a folder/],
      [aFile, /--out .* is a file, not a folder/],
      [path.join(aFile, 'results'), /--out .* cannot be created: .* is a file, not a folder/],
      [path.join(input, 'engagement'), /is inside the input study folder/],
      [path.join(input, 'mooc', 'results'), /is inside the input study folder/],
    ];
    for (const [badOut, message] of outs) {
      const tmp = mkdtempSync(path.join(root, 'tmpdir-'));
      const before = readdirSync(input, { recursive: true }).sort();
      const result = await engagementWith({ TMPDIR: tmp }, 'run', '--input', input, '--out', badOut, '--run-id', 'r1');
      expect(result.code, `${badOut}: ${result.stderr}`).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(readdirSync(input, { recursive: true }).sort()).toEqual(before);
      expect(leftIn(tmp)).toEqual([]);
    }
    expect(readdirSync(earlierRun)).toEqual(['manifest.json']);
    const beside = await engagementWith({}, 'run', '--input', input, '--out', path.join(webApp, 'results'), '--run-id', 'r1');
    expect(beside.stderr).not.toMatch(/inside the run folder/);
    expect(readFileSync(path.join(fileWhereRunGoes, 'r1'), 'utf8')).toBe('not a run folder');
    // A run folder that is a link (here to a folder of the input): the run would empty the link's target.
    const precious = path.join(root, 'usage-precious');
    mkdirSync(precious);
    writeFileSync(path.join(precious, 'keep.csv'), 'a,b\n1,2\n');
    const linkedResults = path.join(root, 'usage-linked-results');
    mkdirSync(linkedResults);
    symlinkSync(precious, path.join(linkedResults, 'r1'));
    const linked = await engagementWith({}, 'run', '--input', input, '--out', linkedResults, '--run-id', 'r1');
    expect(linked.code, linked.stderr).toBe(2);
    expect(linked.stderr).toMatch(/the run folder .*usage-linked-results\/r1 is a symbolic link \(to .*usage-precious\)/);
    expect(readdirSync(precious)).toEqual(['keep.csv']);
    // A run folder that is the input study folder itself: the rerun would empty it.
    const inside = await engagementWith({}, 'run', '--input', input, '--out', input, '--run-id', 'engagement');
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/is inside the run folder/);
  });
});

describe('engagement generate, run, stats', () => {
  const input = path.join(root, 'generated');
  const out = path.join(root, 'results');

  it('generates input, runs the workflow on it (--json prints the manifest), then the statistics on its period files', async () => {
    const generated = await engagement('generate', '--out', input, '--students', '1000', '--mooc-users', '200', '--seed', '5');
    expect(generated.code, generated.stderr).toBe(0);
    expect(generated.stdout.trim()).toBe(input);
    expect(generated.stderr).toMatch(/engagement\/: \{"student_info.csv":1000,/);
    for (const file of ['engagement/student_info.csv', 'engagement/student_video_watched.csv', 'mooc/mooc_actions.tsv']) expect(existsSync(path.join(input, file)), file).toBe(true);

    const run = await engagement('run', '--input', input, '--out', out, '--run-id', 'cli-run', '--json');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    const runDir = path.join(out, 'cli-run');
    const printed = JSON.parse(run.stdout);
    expect(printed).toEqual(JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')));
    expect(printed).toMatchObject({ run_id: 'cli-run', status: 'succeeded', studies: { engagement: { status: 'succeeded' }, mooc: { status: 'succeeded' } } });
    expect(printed.inputs.find((entry: { table: string }) => entry.table === 'student_info.csv').rows).toBe(1000);
    // --json keeps the output to the manifest alone: no progress lines, and no warning from Node or a
    // dependency (e.g. a deprecation Node reports only for code outside node_modules, which a bundled
    // dependency is).
    expect(run.stderr).toBe('');

    const stats = await engagement('stats', '--periods', path.join(runDir, 'engagement'), '--out', out, '--run-id', 'cli-stats');
    expect(stats.code, stats.stderr + stats.stdout).toBe(0);
    const statsDir = path.join(out, 'cli-stats');
    expect(stats.stdout).toMatch(/^Run cli-stats succeeded: \d+ result files\./);
    expect(stats.stdout).toContain('engagement: succeeded; mooc: skipped (not part of a statistics-only run)');
    expect(stats.stdout).toMatch(new RegExp(`results:\\s+${escapeRegExp(statsDir)}`));
    expect(stats.stdout).toMatch(new RegExp(`manifest:\\s+${escapeRegExp(path.join(statsDir, 'manifest.json'))}`));
    // Progress goes to stderr, so stdout stays readable.
    expect(stats.stderr).toContain('RemoveCohortOutliers');
    // Same period files, same options: the same statistics as the full run.
    expect(readFileSync(path.join(statsDir, 'engagement', 'statistics.json'), 'utf8')).toBe(readFileSync(path.join(runDir, 'engagement', 'statistics.json'), 'utf8'));
    expect(existsSync(path.join(statsDir, 'mooc'))).toBe(false);
  });
});

describe('kill -9 during a rerun', () => {
  itRequiring([runFolderChecker()], 'leaves the run marked failed, never the old manifest beside new files; the next rerun takes over the lock', async () => {
    const input = path.join(root, 'kill-input');
    await generateEngagementData({ students: 2000, seed: 3, outDir: input });
    await generateMoocData({ users: 300, seed: 3, outDir: input });
    const out = path.join(root, 'kill-out');
    const runDir = path.join(out, 'killed-run');
    const first = await engagement('run', '--input', input, '--out', out, '--run-id', 'killed-run');
    expect(first.code, first.stderr).toBe(0);
    expect(checkRunFolder(runDir).ok).toBe(true);

    // The rerun is killed once it is past PlanRun, in the middle of writing results.
    const killed = await signalOnceStateSeen(['run', '--input', input, '--out', out, '--run-id', 'killed-run'], ['RemoveCohortOutliers', 'TrainDropoutModel', 'ComputeEngagementStatistics', 'BuildReport'], 'SIGKILL');
    expect(killed.signal, killed.state).toBe('SIGKILL');
    const afterKill = checkRunFolder(runDir);
    expect(afterKill.ok, afterKill.output).toBe(true);
    expect(afterKill.output).toMatch(/failed run/);
    expect(existsSync(path.join(runDir, 'manifest.json'))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(runDir, '_FAILED.json'), 'utf8'))).toMatchObject({ error: 'AttemptNotFinished' });
    // The killed process's lock is still there, naming a pid that is gone.
    expect(JSON.parse(readFileSync(path.join(out, '.locks', 'killed-run.json'), 'utf8')).process.pid).toBe(killed.pid);

    // Its scratch folder too (it names the run id and the pid).
    const scratchOfKilled = `engagement-athena-killed-run-${killed.pid}-`;
    expect(readdirSync(os.tmpdir()).some((name) => name.startsWith(scratchOfKilled))).toBe(true);

    const rerun = await engagement('run', '--input', input, '--out', out, '--run-id', 'killed-run');
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    expect(readdirSync(os.tmpdir()).filter((name) => name.startsWith('engagement-athena-killed-run-'))).toEqual([]);
    const verdict = checkRunFolder(runDir);
    expect(verdict.ok, verdict.output).toBe(true);
    expect(verdict.output).toMatch(/succeeded run/);
    expect(readdirSync(path.join(out, '.locks'))).toEqual([]);
  });
});

describe('engagement stats on inconsistent period files', () => {
  it('fails naming the row when a student is in both plans of a period, or twice in one file', async () => {
    const fixture = path.resolve(__dirname, '../fixtures/stats/fall');
    const copy = (name: string) => {
      const dir = mkdtempSync(path.join(root, `${name}-`));
      for (const file of readdirSync(fixture)) writeFileSync(path.join(dir, file), readFileSync(path.join(fixture, file)));
      return dir;
    };
    const paid = 'minutes_watched_2021Q2_paid_1.csv';
    const both = copy('both-plans');
    const paidRows = readFileSync(path.join(both, paid), 'utf8').trimEnd().split('\n');
    // Student 1 is the free file's first student.
    writeFileSync(path.join(both, paid), [...paidRows, '1,12.5,1'].join('\n') + '\n');
    const crossing = await engagement('stats', '--periods', both, '--out', path.join(root, 'both-out'), '--run-id', 's1');
    expect(crossing.code, crossing.stderr).toBe(1);
    expect(crossing.stdout).toContain(`${paid}: row ${paidRows.length + 1}: student_id 1 is also in minutes_watched_2021Q2_paid_0.csv (row 2): in a period a student is free or paid, not both`);

    const twice = copy('twice');
    writeFileSync(path.join(twice, paid), [...paidRows, paidRows[1]!].join('\n') + '\n');
    const repeated = await engagement('stats', '--periods', twice, '--out', path.join(root, 'twice-out'), '--run-id', 's2');
    expect(repeated.code, repeated.stderr).toBe(1);
    expect(repeated.stdout).toContain(`${paid}: row ${paidRows.length + 1}: student_id ${paidRows[1]!.split(',')[0]} appears again (first on row 2): a cohort file lists each student once`);
  });
});

describe('two processes, one run id', () => {
  itRequiring([runFolderChecker()], 'one runs, the other is refused at once and changes nothing; the folder is consistent', async () => {
    const input = path.join(root, 'race-input');
    await generateEngagementData({ students: 3000, seed: 4, outDir: input });
    await generateMoocData({ users: 400, seed: 4, outDir: input });
    const out = path.join(root, 'race-out');
    // The second starts once the first holds the lock (its progress shows the first state).
    const first = spawnCli(['run', '--input', input, '--out', out, '--run-id', 'race'], ['ignore', 'ignore', 'pipe']);
    let firstErr = '';
    const firstDone = new Promise<number | null>((resolve) => first.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      first.stderr!.setEncoding('utf8').on('data', (text: string) => {
        firstErr += text;
        if (firstErr.includes('PlanRun')) resolve();
      });
      first.on('close', () => reject(new Error(`the first run ended early:\n${firstErr}`)));
    });
    // The second attempt from this process (a CLI would take seconds to start): refused by the lock
    // the first process holds, before it creates anything.
    await expect(runLocalWorkflow({ inputDir: input, outDir: out, runId: 'race' })).rejects.toThrow(new RegExp(`run race is already running \\(execution local:[^)]*process ${first.pid}\\)`));
    const firstCode = await firstDone;
    expect(firstCode, `exit ${firstCode} ${first.signalCode}: ${firstErr.slice(-400)}`).toBe(0);
    const verdict = checkRunFolder(path.join(out, 'race'));
    expect(verdict.ok, verdict.output).toBe(true);
    expect(verdict.output).toMatch(/succeeded run/);
  });
});

describe('engagement stats usage', () => {
  it('refuses a run folder that would hold the periods folder (a rerun empties it), creating nothing', async () => {
    const out = path.join(root, 'stats-usage');
    const periods = path.join(out, 'my-stats', 'engagement');
    mkdirSync(periods, { recursive: true });
    for (const name of ['minutes_watched_2021Q2_paid_0.csv', 'minutes_watched_2021Q2_paid_1.csv', 'minutes_watched_2022Q2_paid_0.csv', 'minutes_watched_2022Q2_paid_1.csv', 'minutes_and_certificates.csv']) {
      writeFileSync(path.join(periods, name), 'student_id,minutes_watched\n1,2\n');
    }
    const before = readdirSync(out, { recursive: true }).sort();
    const result = await engagement('stats', '--periods', periods, '--out', out, '--run-id', 'my-stats');
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/the periods folder .* is inside the run folder/);
    expect(readdirSync(out, { recursive: true }).sort()).toEqual(before);
  });
});

describe('Ctrl-C during a run', () => {
  itRequiring([runFolderChecker()], 'stops with exit 130, says how to rerun, leaves no scratch folder and a folder marked unfinished; a rerun succeeds', async () => {
    const input = path.join(root, 'interrupt-input');
    await generateEngagementData({ students: 2000, seed: 4, outDir: input });
    await generateMoocData({ users: 300, seed: 4, outDir: input });
    const out = path.join(root, 'interrupt-out');
    const runDir = path.join(out, 'interrupted');
    // A TMPDIR of its own: every folder the run made there (DuckDB's result files too) must be gone.
    const tmp = mkdtempSync(path.join(root, 'interrupt-tmp-'));
    const interrupted = await signalOnceStateSeen(['run', '--input', input, '--out', out, '--run-id', 'interrupted'], ['CheckDataQuality'], 'SIGINT', { TMPDIR: tmp });
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(interrupted.stderr).toContain('engagement: stopped by SIGINT; run interrupted did not finish: rerun it with --run-id interrupted');
    expect(leftIn(tmp)).toEqual([]);
    // Released: a rerun from another host, which cannot tell whether this process is gone, goes ahead too.
    expect(existsSync(path.join(out, '.locks', 'interrupted.json'))).toBe(false);
    const verdict = checkRunFolder(runDir);
    expect(verdict.ok, verdict.output).toBe(true);
    expect(verdict.output).toMatch(/failed run/);

    const rerun = await engagement('run', '--input', input, '--out', out, '--run-id', 'interrupted');
    expect(rerun.code, rerun.stderr + rerun.stdout).toBe(0);
    expect(checkRunFolder(runDir).output).toMatch(/succeeded run/);
  });

  it('with --json, a stop prints the outcome as JSON on stdout and releases the lock', async () => {
    const input = path.join(root, 'term-json-input');
    await generateEngagementData({ students: 1500, seed: 5, outDir: input });
    const out = path.join(root, 'term-json-out');
    const stopped = await signalOnceFileExists(['run', '--input', input, '--out', out, '--run-id', 'termed', '--json'], path.join(out, 'termed', '_FAILED.json'), 'SIGTERM');
    expect(stopped.code, stopped.stderr).toBe(143);
    expect(JSON.parse(stopped.stdout)).toEqual({ run_id: 'termed', status: 'failed', error: 'Stopped', message: 'stopped by SIGTERM; run termed did not finish: rerun it with --run-id termed' });
    expect(existsSync(path.join(out, '.locks', 'termed.json'))).toBe(false);
  });

  it('a closed terminal (SIGHUP) stops a run as Ctrl-C does: exit 129, no scratch folder, the lock released', async () => {
    const input = path.join(root, 'hangup-input');
    await generateMoocData({ users: 300, seed: 6, outDir: input });
    const out = path.join(root, 'hangup-out');
    const tmp = mkdtempSync(path.join(root, 'hangup-tmp-'));
    const hungUp = await signalOnceFileExists(['run', '--input', input, '--out', out, '--run-id', 'hup'], path.join(out, 'hup', '_FAILED.json'), 'SIGHUP', { TMPDIR: tmp });
    expect(hungUp.code, hungUp.stderr).toBe(129);
    expect(hungUp.stderr).toContain('engagement: stopped by SIGHUP; run hup did not finish: rerun it with --run-id hup');
    expect(leftIn(tmp)).toEqual([]);
    expect(existsSync(path.join(out, '.locks', 'hup.json'))).toBe(false);
  });

  itRequiring([runFolderChecker()], 'a signal once the manifest is published lets the run end as succeeded', async () => {
    const input = path.join(root, 'late-signal-input');
    await generateMoocData({ users: 300, seed: 5, outDir: input });
    const out = path.join(root, 'late-signal-out');
    const late = await signalOnceStateSeen(['run', '--input', input, '--out', out, '--run-id', 'late'], ['PublishManifest'], 'SIGTERM');
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toContain('Run late succeeded');
    expect(checkRunFolder(path.join(out, 'late')).output).toMatch(/succeeded run/);
  });

  itRequiring([runFolderChecker()], 'a signal while the manifest is being published lets the run end as succeeded, not with both manifest and marker', async () => {
    const input = path.join(root, 'publishing-signal-input');
    await generateMoocData({ users: 300, seed: 5, outDir: input });
    const out = path.join(root, 'publishing-signal-out');
    const signalled = await signalOnceFileExists(['run', '--input', input, '--out', out, '--run-id', 'publishing', '--json'], path.join(out, 'publishing', 'manifest.json'), 'SIGTERM');
    // The process's outcome is the run's; only a signal that lands while the process is exiting,
    // its outcome printed, can still end it (Node's exit restores the default handling).
    expect(signalled.code === 0 || (signalled.code === null && signalled.signal === 'SIGTERM'), `${signalled.code} ${signalled.signal}: ${signalled.stderr}`).toBe(true);
    expect(JSON.parse(signalled.stdout).status).toBe('succeeded');
    expect(checkRunFolder(path.join(out, 'publishing')).output).toMatch(/succeeded run/);
  });

  it('a stop before the command line has loaded exits as a stopped run does: 143, the outcome as JSON, nothing written', async () => {
    const out = path.join(root, 'early-signal-out');
    const args = ['run', '--input', path.join(root, 'early-signal-input'), '--out', out, '--run-id', 'early', '--json'];
    // The bin loaded as the command starts it, and the signal handled at once, as it would be while
    // the command line loads (after the bin's first lines, asynchronously): it cannot have begun yet.
    const script = `process.argv = [process.argv[0], ${JSON.stringify(CLI)}, ...${JSON.stringify(args)}]; require(${JSON.stringify(CLI)}); process.emit('SIGTERM', 'SIGTERM');`;
    const outcome = await new Promise<Outcome>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
      child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expect(outcome.code, outcome.stderr).toBe(143);
    expect(JSON.parse(outcome.stdout)).toEqual({ status: 'failed', error: 'Stopped', message: 'stopped by SIGTERM before the run began; nothing was written' });
    expect(existsSync(out)).toBe(false);
  });

  it('a run removes the scratch folders of processes that are gone, whatever their run id', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const scratch = [`engagement-athena-monthly-2026-${gone}-Ab12Cd`, `engagement-no-raw-${gone}-Xy34Zw`].map((name) => path.join(os.tmpdir(), name));
    for (const dir of scratch) mkdirSync(path.join(dir, 'athena-results'), { recursive: true });
    // One of a process still alive stays.
    const alive = path.join(os.tmpdir(), `engagement-athena-other-${process.pid}-Qq11Rr`);
    mkdirSync(alive, { recursive: true });
    try {
      const input = path.join(root, 'scratch-input');
      await generateMoocData({ users: 100, seed: 6, outDir: input });
      const run = await engagement('run', '--input', input, '--out', path.join(root, 'scratch-out'));
      expect(run.code, run.stderr).toBe(0);
      for (const dir of scratch) expect(existsSync(dir), dir).toBe(false);
      expect(existsSync(alive)).toBe(true);
    } finally {
      for (const dir of [...scratch, alive]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

