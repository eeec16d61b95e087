// The independent checker of a run folder (../shared/tools/check-run-folder, Python standard library
// only): every file listed once with its bytes and sha256, nothing stale, or a clear failure marker.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CHECK_RUN_FOLDER = path.resolve(__dirname, '../../../shared/tools/check-run-folder');

/** The checker's verdict on a run folder: ok when it exits 0 (the folder is consistent). */
export function checkRunFolder(runDir: string): { ok: boolean; output: string } {
  const checked = spawnSync('/usr/bin/python3', [CHECK_RUN_FOLDER, runDir], { encoding: 'utf8' });
  if (checked.error) throw checked.error;
  return { ok: checked.status === 0, output: checked.stdout + checked.stderr };
}
