// `engagement <command> --help` and `engagement help <command>` as a user runs them: every
// command, every flag the parser takes, every analysis option with the default the workflow uses.
import { describe, expect, it } from 'vitest';
import { AnalysisOptionsError, DEFAULT_ANALYSIS_OPTIONS, resolveAnalysisOptions } from '../../lambdas/contracts/run-options';
import { COMMANDS } from '../../lib/cli/commands';
import { engagement } from './run-cli';


/** The option names the workflow's validation accepts, read from its own "unknown option" error. */
function acceptedOptionNames(): string[] {
  try {
    resolveAnalysisOptions({ noSuchOption: '1' });
  } catch (error) {
    expect(error).toBeInstanceOf(AnalysisOptionsError);
    return /expected one of (.+)$/.exec((error as Error).message)![1]!.split(', ');
  }
  throw new Error('an unknown option was accepted');
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('engagement help', () => {
  it('covers the commands the CLI dispatches', () => {
    expect(COMMANDS.map((command) => command.name).sort()).toEqual(['generate', 'help', 'results history', 'results list', 'results pull', 'run', 'stats']);
  });

  it('prints every command\'s help on stdout with exit 0, both as <command> --help and as help <command>', async () => {
    const outcomes = await Promise.all(
      COMMANDS.flatMap((command) => {
        const words = command.name.split(' ');
        return [
          engagement(...words, '--help').then((outcome) => ({ command, how: `${command.name} --help`, ...outcome })),
          engagement('help', ...words).then((outcome) => ({ command, how: `help ${command.name}`, ...outcome })),
        ];
      }),
    );
    const options = acceptedOptionNames();
    expect(options.sort()).toEqual(Object.keys(DEFAULT_ANALYSIS_OPTIONS).sort());
    for (const { command, how, code, stdout, stderr } of outcomes) {
      expect(code, `${how}: ${stderr}`).toBe(0);
      expect(stderr, how).toBe('');
      expect(stdout, how).toContain(`Usage: ${command.usage}`);
      for (const [flag, spec] of Object.entries(command.flags)) {
        const line = stdout.split('\n').find((text) => new RegExp(`^  --${escapeRegExp(flag)}\\b`).test(text));
        expect(line, `${how}: --${flag}`).toBeDefined();
        if (spec.defaultShown !== undefined) expect(line, `${how}: --${flag}`).toContain(`(default: ${spec.defaultShown})`);
      }
      for (const name of options) {
        const line = stdout.split('\n').find((text) => new RegExp(`^  ${name}\\s`).test(text));
        if (command.analysisOptions) {
          // The default shown is the value a run uses when the option is not given.
          expect(line, `${how}: ${name}`).toMatch(new RegExp(`\\(default: ${escapeRegExp(String(resolveAnalysisOptions({})[name as keyof typeof DEFAULT_ANALYSIS_OPTIONS]))}\\)$`));
        } else {
          expect(line, `${how}: ${name}`).toBeUndefined();
        }
      }
    }
  }, 120_000);

  it('shows the defaults the code applies: generate 20000 students, 3000 MOOC users, seed 42; run 2021Q2 vs 2022Q2', async () => {
    const [generate, run, pull, history] = await Promise.all([
      engagement('generate', '--help'),
      engagement('run', '-h'),
      engagement('help', 'results', 'pull'),
      engagement('results', 'history', '--help'),
    ]);
    expect(generate.stdout).toMatch(/--students N .*\(default: 20000\)/);
    expect(generate.stdout).toMatch(/--mooc-users N .*\(default: 3000\)/);
    expect(generate.stdout).toMatch(/--seed S .*\(default: 42\)/);
    expect(run.stdout).toMatch(/--baseline PERIOD .*\(default: 2021Q2\)/);
    expect(run.stdout).toMatch(/--comparison PERIOD .*\(default: 2022Q2\)/);
    expect(run.stdout).toMatch(/maxBadRowShare .*\(default: 0\.01\)/);
    expect(run.stdout).toMatch(/dataEnd .*\(default: 2100-12-31\)/);
    expect(pull.stdout).toMatch(/--expires SECONDS .*\(default: 3600\)/);
    expect(history.stdout).toMatch(/--last N .*\(default: 12\)/);
    expect(history.stdout).toMatch(/^  --csv /m);
  }, 60_000);

  it('shows both results actions for results --help, lists every command in the general help, refuses help for an unknown command', async () => {
    const [results, general, unknown] = await Promise.all([engagement('results', '--help'), engagement('help'), engagement('help', 'frobnicate')]);
    expect(results.code).toBe(0);
    expect(results.stdout).toContain('Usage: engagement results list');
    expect(results.stdout).toContain('Usage: engagement results pull');
    expect(results.stdout).toContain('Usage: engagement results history');
    expect(general.code).toBe(0);
    for (const command of COMMANDS) expect(general.stdout).toContain(command.usage);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('not a command');
  }, 60_000);
});
