#!/usr/bin/env node
// `npx lifecycle`: registers tsx so the CLI runs from its TypeScript sources without a build step.
'use strict';

require('tsx/cjs');
const { processIo, runCli } = require('./cli/main.ts');

runCli(process.argv.slice(2), processIo()).then((code) => {
  // exitCode rather than exit(): output still being written to a pipe is not cut off.
  process.exitCode = code;
});
