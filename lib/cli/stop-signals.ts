// The signals that stop a command midway, for the commands that must tidy up before they exit.
import os from 'node:os';

/** Ctrl-C (SIGINT), a service stop (SIGTERM), a closed terminal (SIGHUP). */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The exit code a shell reports for a process the signal ended: 128 + its number (130, 143, 129). */
export function stopExitCode(signal: NodeJS.Signals): number {
  return 128 + os.constants.signals[signal];
}

const EARLY_STOP = Symbol.for('engagement.stoppedEarly');

/** Calls `onStop` on the first of each stop signal; returns what removes the handler again. */
export function onStopSignals(onStop: (signal: NodeJS.Signals) => void): () => void {
  // The bin's handler for a stop before the command line had loaded (bin/engagement.js) gives way.
  const early = (process as unknown as Record<symbol, ((signal: NodeJS.Signals) => void) | undefined>)[EARLY_STOP];
  if (early) {
    for (const signal of STOP_SIGNALS) process.off(signal, early);
    delete (process as unknown as Record<symbol, unknown>)[EARLY_STOP];
  }
  for (const signal of STOP_SIGNALS) process.once(signal, onStop);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, onStop);
  };
}
