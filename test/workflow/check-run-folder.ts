// The independent checker of a run folder (../shared/tools/check-run-folder, Python standard library
// only): every file listed once with its bytes and sha256, nothing stale, or a clear failure marker.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PYTHON, type Requirement } from '../support/requirements';

/** $CHECK_RUN_FOLDER when set, else ../shared/tools/check-run-folder beside the repository. */
const CHECK_RUN_FOLDER = process.env.CHECK_RUN_FOLDER
  ? path.resolve(process.env.CHECK_RUN_FOLDER)
  : path.resolve(__dirname, '../../../shared/tools/check-run-folder');

/** The checker and its interpreter: a test that asks it is skipped without them locally and fails in CI. */
export function runFolderChecker(): Requirement {
  return {
    what: `the run-folder checker ${CHECK_RUN_FOLDER}`,
    present: existsSync(CHECK_RUN_FOLDER) && existsSync(PYTHON),
    howTo: 'put the workspace\'s shared/tools beside the repository or set CHECK_RUN_FOLDER to the script',
  };
}

/** The checker's verdict on a run folder: ok when it exits 0 (the folder is consistent). */
export function checkRunFolder(runDir: string): { ok: boolean; output: string } {
  const checked = spawnSync(PYTHON, [CHECK_RUN_FOLDER, runDir], { encoding: 'utf8' });
  if (checked.error) throw checked.error;
  return { ok: checked.status === 0, output: checked.stdout + checked.stderr };
}
