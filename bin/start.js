#!/usr/bin/env node
// `npm start`: runs bin/start.ts compiled (see bin/compiled-entry.js).
const path = require('node:path');
const { compiledEntry, runCompiled } = require('./compiled-entry.js');

compiledEntry(path.resolve(__dirname, '..'), 'start').then((file) => runCompiled(file), (error) => {
  process.stderr.write(`npm start: could not build: ${error.message}\n`);
  process.exitCode = 1;
});
