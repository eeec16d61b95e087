// Tests that need something from outside the repository (Debian's Python packages, chromium, the
// act-mooc files) declare it here. On a developer's machine a missing one skips the test with a
// message saying what to install; in CI (CI=true) the test FAILS with that message instead, so a CI
// run can never pass by quietly skipping the checks that matter.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';

export interface Requirement {
  /** What the test needs, as a reader would name it. */
  what: string;
  present: boolean;
  /** How to provide it. */
  howTo: string;
}

/** The interpreter every reference script and Python-backed test uses (Debian's, with its packages). */
export const PYTHON = '/usr/bin/python3';

const REPOSITORY_ROOT = path.resolve(__dirname, '../..');

/**
 * The act-mooc folder: $MOOC_DATA_DIR when set, else ../shared/data/mooc beside the repository
 * (resolved from this file, so it does not depend on the directory the tests start in).
 */
export const MOOC_DATA_DIR = process.env.MOOC_DATA_DIR ? path.resolve(process.env.MOOC_DATA_DIR) : path.resolve(REPOSITORY_ROOT, '../shared/data/mooc');

export function inCi(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

const importable = new Map<string, boolean>();

/** Python modules importable by /usr/bin/python3 (checked once per process). */
export function pythonModules(...modules: string[]): Requirement {
  const key = modules.join(',');
  if (!importable.has(key)) {
    let ok = existsSync(PYTHON);
    if (ok) {
      try {
        execFileSync(PYTHON, ['-c', `import ${key}`], { stdio: 'ignore' });
      } catch {
        ok = false;
      }
    }
    importable.set(key, ok);
  }
  // Debian names the packages after the modules: python3-pandas, python3-sklearn, ...
  const packages = modules.map((module) => `python3-${module}`).join(' ');
  return { what: `${PYTHON} with ${modules.join(', ')}`, present: importable.get(key)!, howTo: `apt-get install -y ${packages}` };
}

export function executable(file: string, howTo: string): Requirement {
  return { what: file, present: existsSync(file), howTo };
}

/** The three act-mooc files (SNAP MOOC User Action Dataset). */
export function moocData(): Requirement {
  const files = ['mooc_actions.tsv', 'mooc_action_features.tsv', 'mooc_action_labels.tsv'];
  return {
    what: `the act-mooc files (${files.join(', ')}) in ${MOOC_DATA_DIR}`,
    present: files.every((file) => existsSync(path.join(MOOC_DATA_DIR, file))),
    howTo: 'put them in ../shared/data/mooc beside the repository or set MOOC_DATA_DIR to their folder',
  };
}

function missingMessage(requirements: readonly Requirement[]): string | undefined {
  const missing = requirements.filter((requirement) => !requirement.present);
  if (missing.length === 0) return undefined;
  return `missing ${missing.map((requirement) => `${requirement.what} (${requirement.howTo})`).join('; ')}`;
}

/** it() that runs when every requirement is present; otherwise skipped locally, failed in CI. */
export function itRequiring(requirements: readonly Requirement[], name: string, test: () => unknown, timeout?: number): void {
  const missing = missingMessage(requirements);
  if (missing === undefined) {
    it(name, test, timeout);
  } else if (inCi()) {
    it(name, () => {
      throw new Error(`${missing}: this test must run in CI`);
    });
  } else {
    console.warn(`skipping "${name}": ${missing}`);
    it.skip(name, test);
  }
}

/** describe() whose tests run when every requirement is present; otherwise skipped locally, one failing test in CI. */
export function describeRequiring(requirements: readonly Requirement[], name: string, body: () => void): void {
  const missing = missingMessage(requirements);
  if (missing === undefined) {
    describe(name, body);
  } else if (inCi()) {
    describe(name, () => {
      it('has what its tests need', () => {
        throw new Error(`${missing}: these tests must run in CI`);
      });
    });
  } else {
    console.warn(`skipping "${name}": ${missing}`);
    describe.skip(name, body);
  }
}
