#!/usr/bin/env node
// Installed `engagement` command: runs the command line's compiled JavaScript (bin/compiled-entry.js
// keeps it in step with the TypeScript sources).
const path = require('node:path');
const { compiledEntry, runCompiled } = require('./compiled-entry.js');

compiledEntry(path.resolve(__dirname, '..'), 'engagement').then((file) => runCompiled(file), (error) => {
  process.stderr.write(`engagement: could not build the command line: ${error.message}\n`);
  process.exitCode = 1;
});
