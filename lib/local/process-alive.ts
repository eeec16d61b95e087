// Whether a local process still runs: the local runner asks it of a run lock's holder and of a
// scratch folder's maker, `results list` of a run lock's holder.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { LockProcess } from '../../lambdas/steps/run-attempt';

/**
 * Whether a process still runs. kill(pid, 0) also succeeds for a zombie: a process killed but not yet
 * reaped by its parent, as when whatever killed a run starts the next one before waiting on it. Its
 * run is over, so a zombie (Linux: state Z or X in /proc/<pid>/stat) counts as gone. Given `started`
 * (processStartMark of the process when it was recorded), a live process with another mark is
 * another process that got the same id after the first was killed: the first is gone.
 */
export function processIsAlive(pid: number, started?: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (stat === undefined) return true; // no /proc (macOS): kill's answer stands
  if (/^[ZX]/.test(stat.state)) return false;
  return started === undefined || started === startMarkOf(stat);
}

/**
 * When a process started, as a mark that no later process with the same id shares (the boot and the
 * start time in clock ticks since boot), or undefined without /proc.
 */
export function processStartMark(pid: number): string | undefined {
  const stat = procStat(pid);
  return stat === undefined ? undefined : startMarkOf(stat);
}

interface ProcStat {
  state: string;
  /** The fields after the state, from ppid on (the start time is the 19th of them). */
  rest: string[];
}

function procStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // "<pid> (<command>) <state> <ppid> ...": the command may hold spaces and parentheses, the state follows the last ')'.
  const [state = '', ...rest] = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state, rest };
}

let bootId: string | undefined;

function startMarkOf(stat: ProcStat): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      bootId = '';
    }
  }
  return `${bootId}:${stat.rest[18] ?? ''}`;
}

/** This process as a run lock names it: host, id and start mark. */
export function thisLockProcess(): LockProcess {
  const started = processStartMark(process.pid);
  return { host: os.hostname(), pid: process.pid, ...(started === undefined ? {} : { started }) };
}
