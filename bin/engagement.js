#!/usr/bin/env node
// Installed `engagement` command: runs the command line's compiled JavaScript (bin/compiled-entry.js
// keeps it in step with the TypeScript sources).
const os = require('node:os');
const path = require('node:path');

// Loading the command line takes a moment. A stop signal meanwhile finds no run begun: say so and
// exit as a stopped run does (128 + the signal's number; with --json, the outcome as JSON), rather
// than die by the signal with nothing printed. The run's own handling takes over from this one
// (lib/cli/stop-signals.ts).
const command = process.argv[2];
if (command === 'run' || command === 'stats') {
  const stoppedEarly = (signal) => {
    const message = `stopped by ${signal} before the run began; nothing was written`;
    process.stderr.write(`\nengagement: ${message}\n`);
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ status: 'failed', error: 'Stopped', message }, null, 2) + '\n');
    process.exit(128 + os.constants.signals[signal]);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, stoppedEarly);
  process[Symbol.for('engagement.stoppedEarly')] = stoppedEarly;
}

const { compiledEntry, runCompiled } = require('./compiled-entry.js');

compiledEntry(path.resolve(__dirname, '..'), 'engagement').then((file) => runCompiled(file), (error) => {
  process.stderr.write(`engagement: could not build the command line: ${error.message}\n`);
  process.exitCode = 1;
});
