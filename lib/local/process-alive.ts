// Whether a local process still runs: the local runner asks it of a run lock's holder and of a
// scratch folder's maker, `results list` of a run lock's holder.
import { readFileSync } from 'node:fs';

/**
 * Whether a process still runs. kill(pid, 0) also succeeds for a zombie: a process killed but not yet
 * reaped by its parent, as when whatever killed a run starts the next one before waiting on it. Its
 * run is over, so a zombie (Linux: state Z or X in /proc/<pid>/stat) counts as gone.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false; // no /proc (macOS): kill's answer stands
  }
  // "<pid> (<command>) <state> ...": the command may hold spaces and parentheses, the state follows the last ')'.
  return /^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
}
