#!/usr/bin/env node
// The `understudy` executable: hand argv to the dispatcher and exit with its code.
import { processOutput } from './output.js';
import { run } from './run.js';

const code = await run(process.argv.slice(2), { output: processOutput(), cwd: process.cwd() });
// `start` keeps the process alive through its server; everything else ends here.
if (code !== 0) process.exit(code);
