#!/usr/bin/env node
// Installed `engagement` command: runs the TypeScript CLI through tsx (a runtime dependency).
require('tsx/cjs');
require('./engagement.ts');
