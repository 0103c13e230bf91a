#!/usr/bin/env node
// The `understudy` executable npm links at install time. It is committed (not built) so
// that the link exists on a fresh clone before anything is compiled: npm skips a bin whose
// target is missing, and `npx understudy` then fails with "could not determine executable
// to run". It only loads the built CLI, and says what to do when the build is missing.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('error: the understudy CLI is not built yet (kernel/dist/cli/main.js is missing): run `npm run build` first.\n');
  process.exit(1);
}
await import(main.href);
