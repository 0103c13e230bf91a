#!/usr/bin/env node
// Understudy's test runner (plain Node, no dependencies beyond the root devDependencies).
//
//   node scripts/run-tests.mjs [--coverage] [--verbose] [--concurrency N] [--timeout S] [path…]
//
// - Finds kernel/test, plugin-sdk/test, plugins/*/test, presets/*/test and test/ `*.test.ts`
//   (never node_modules, dist, test/bench). Paths filter by prefix (`plugins/stubs`); a path
//   outside those folders (a scratch folder) is searched directly.
// - Runs each file in its own process (`node --conditions=source --import tsx --import
//   scripts/uvu-recorder.mjs <file>`, cwd = repo root), 2 at a time, each with a timeout
//   (a file's header may raise its own: `// understudy-test-timeout: <seconds>`; those run first).
//   The `source` export condition makes workspace packages resolve to src/*.ts.
// - The recorder (see scripts/lib/uvu-wrapper.mjs) records every uvu test; failures are
//   printed with file, suite, test and message; test-results.json is written at the root.
// - --coverage: children write V8 coverage to .c8-tmp/, then `c8 report` (options in
//   .c8rc.json) prints the summary and checks the 90 % line threshold, and the critical
//   modules listed under "x-critical" in .c8rc.json must be at 100 % lines. Thresholds are
//   only enforced for a full run (no path filters). A failed check counts as a failure.
// - The last line printed is always `N passed, N failed, N skipped`; exit 1 if any failed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { reportCoverage } from './lib/coverage.mjs';
import { discoverTests, toPosix } from './lib/discover.mjs';
import { killAll, runFile } from './lib/run-file.mjs';

const root = join(import.meta.dirname, '..');
const log = (line = '') => process.stdout.write(`${line}\n`);

const { values: opts, positionals: filters } = parseArgs({
  allowPositionals: true,
  options: {
    coverage: { type: 'boolean', default: false },
    verbose: { type: 'boolean', short: 'v', default: !!process.env.UNDERSTUDY_TEST_VERBOSE },
    concurrency: { type: 'string', default: process.env.UNDERSTUDY_TEST_CONCURRENCY ?? String(Math.min(2, availableParallelism())) },
    timeout: { type: 'string', default: process.env.UNDERSTUDY_TEST_TIMEOUT ?? '120' },
  },
});
const concurrency = Math.max(1, Number(opts.concurrency) || 2);
const timeoutMs = Math.max(1, Number(opts.timeout) || 120) * 1000;

const indent = (text, pad) => text.split('\n').map((l) => pad + l).join('\n');
const label = (t) => [t.suite === t.file ? '' : t.suite, t.name].filter(Boolean).join(' › ');

async function main() {
  const started = performance.now();
  const files = discoverTests(root, filters);
  if (filters.length && files.length === 0) {
    log(`No test files match ${filters.join(', ')}`);
    log('0 passed, 1 failed, 0 skipped');
    return 1;
  }

  const env = { ...process.env }; // children write to pipes, so no colours unless FORCE_COLOR is set; ANSI is stripped anyway
  const coverageDir = join(root, '.c8-tmp');
  if (opts.coverage) {
    rmSync(coverageDir, { recursive: true, force: true });
    mkdirSync(coverageDir, { recursive: true });
    env.NODE_V8_COVERAGE = coverageDir;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'understudy-tests-'));
  const onSignal = (signal) => {
    killAll();
    rmSync(scratch, { recursive: true, force: true });
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  log(`Running ${files.length} test file(s), ${concurrency} at a time (timeout ${timeoutMs / 1000} s per file)${opts.coverage ? ', with coverage' : ''}`);
  // A slow file may ask for more time in its header (`// understudy-test-timeout: 600`);
  // such files start first, so they do not stretch the end of the run.
  const ownTimeout = (file) => {
    const m = /^\/\/ understudy-test-timeout: (\d+)$/m.exec(readFileSync(file, 'utf8').slice(0, 4096));
    return m ? Math.max(timeoutMs, Number(m[1]) * 1000) : timeoutMs;
  };
  const order = files.map((file, i) => ({ file, i, timeout: ownTimeout(file) })).sort((a, b) => b.timeout - a.timeout || a.i - b.i);
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < files.length) {
      const { file, i: index, timeout } = order[next++];
      const rel = toPosix(relative(root, file));
      const r = await runFile({
        root, file, rel, timeoutMs: timeout, env, verbose: opts.verbose, log,
        resultsFile: join(scratch, `${index}.json`),
      });
      results[index] = r;
      const count = (s) => r.tests.filter((t) => t.status === s).length;
      const failed = count('failed');
      const note = r.tests.length === 0 ? '  (no tests recorded — does it import uvu and call .run()?)' : '';
      log(`${failed ? 'FAIL' : 'ok  '}  ${rel}  ${count('passed')} passed, ${failed} failed, ${count('skipped')} skipped  ${r.durationMs} ms${note}`);
      for (const t of r.tests.filter((x) => x.status === 'failed')) {
        log(`  ✘ ${rel} › ${label(t)}`);
        if (t.error) log(indent(t.error, '      '));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  rmSync(scratch, { recursive: true, force: true });

  const tests = results.flatMap((r) => r.tests);
  const failedTests = tests.filter((t) => t.status === 'failed');
  if (failedTests.length) {
    log('');
    log(`Failed (${failedTests.length}):`);
    for (const t of failedTests) log(`  ✘ ${t.file} › ${label(t)}${t.error ? ` — ${t.error.split('\n')[0]}` : ''}`);
  }

  let coverage;
  if (opts.coverage) {
    const enforce = filters.length === 0;
    const { failures, linesPct } = reportCoverage({ root, tempDir: coverageDir, enforce, log });
    rmSync(coverageDir, { recursive: true, force: true }); // raw V8 data: ~100 MB, the report is in coverage/
    if (!enforce) log('(coverage thresholds are only enforced on a full run)');
    for (const f of failures) {
      tests.push({ file: '.c8rc.json', suite: 'coverage', name: f.name, status: 'failed', durationMs: 0, error: f.error });
      log(`  ✘ coverage › ${f.name}`);
      log(indent(f.error, '      '));
    }
    coverage = { linesPct, enforced: enforce, ok: failures.length === 0 };
  }

  const summary = {
    passed: tests.filter((t) => t.status === 'passed').length,
    failed: tests.filter((t) => t.status === 'failed').length,
    skipped: tests.filter((t) => t.status === 'skipped').length,
    durationMs: Math.round(performance.now() - started),
    files: files.length,
    ...(coverage ? { coverage } : {}),
  };
  writeFileSync(join(root, 'test-results.json'), `${JSON.stringify({ summary, tests }, null, 2)}\n`);
  log('');
  log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
  return summary.failed > 0 ? 1 : 0;
}

main().then(
  (code) => { process.exitCode = code; },
  (err) => {
    killAll();
    console.error(err);
    log('0 passed, 1 failed, 0 skipped');
    process.exitCode = 1;
  },
);
