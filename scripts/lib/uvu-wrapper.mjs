// What test files get when they `import { test, suite } from 'uvu'` under the runner
// (see scripts/uvu-recorder.mjs). It re-exports uvu, wrapping `suite()` and `test` so
// every test's suite, name, status and duration is recorded to the JSON file named by
// UVU_RECORDER_OUT: `{ tests: [{ suite, name, status, durationMs, error? }], running }`.
// The file is rewritten whenever a test starts or ends, so a process killed on timeout
// still leaves its finished tests and the one that was running.
//
// Semantics kept from uvu 0.5: `.only`, `.skip`, `.before`, `.after`, `.before.each`,
// `.after.each`, `.run`. `before.each`/`after.each` hooks are folded into each test's
// handler (uvu runs them exactly there: bEach, test, aEach; aEach again on failure), so
// a failing hook fails that test, as in uvu. Improvements over plain uvu, each recorded
// as a failed entry: a throwing `before`/`after` hook (uvu silently skips the suite),
// tests registered but never `.run()`, and a test still running when the process exits.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import * as uvu from 'uvu';

const OUT = process.env.UVU_RECORDER_OUT;
const ANSI = /\u001b\[[0-9;]*m/g;
const record = { tests: [], running: null };
const liveSuites = new Set();

function flush() {
  if (!OUT) return;
  try {
    writeFileSync(OUT, JSON.stringify(record));
  } catch {
    // Best effort: the runner reports a crash if the file is missing.
  }
}

/** Where in user code an error was thrown: first stack frame outside node internals/node_modules. */
function location(err) {
  const lines = String(err?.stack ?? '').split('\n').slice(1);
  for (const line of lines) {
    const m = /\(?((?:file:\/\/)?\/[^()]+?):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    let file = m[1];
    if (file.includes('/node_modules/') || file.includes('/scripts/lib/uvu-wrapper.mjs')) continue;
    if (file.startsWith('file://')) file = fileURLToPath(file);
    return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

function describeError(err) {
  if (!(err instanceof Error)) return `thrown non-error value: ${String(err)}`;
  let text = `${err.name && err.name !== 'Error' && !err.name.startsWith('Assertion') ? err.name + ': ' : ''}${err.message}`;
  if (err.operator) text += `  (${err.operator})`;
  if (typeof err.details === 'string' && err.details.trim() && err.details.length < 4000) {
    text += '\n' + err.details.replace(ANSI, '').trimEnd();
  }
  const at = location(err);
  if (at) text += `\n    at ${at}`;
  return text.replace(ANSI, '');
}

function push(suite, name, status, durationMs, err, synthetic = false) {
  const entry = { suite, name, status, durationMs: Math.round(durationMs * 100) / 100 };
  if (status === 'failed') entry.error = typeof err === 'string' ? err : describeError(err);
  // Not a test's own failure: the runner still reports a non-zero exit with its stderr.
  if (synthetic) entry.synthetic = true;
  record.tests.push(entry);
  flush();
}

const generation = () => ({ tests: [], only: [], bEach: [], aEach: [] });

function wrapSuite(suiteName, inner) {
  let gen = generation();
  const entry = { suiteName, get pending() { return gen.tests.length + gen.only.length; } };
  liveSuites.add(entry);

  const handlerFor = (g, name, fn) => async (state) => {
    const started = performance.now();
    record.running = { suite: suiteName, name, startedAt: Date.now() };
    flush();
    try {
      for (const hook of g.bEach) await hook(state);
      await fn(state);
      for (const hook of g.aEach) await hook(state);
      record.running = null;
      push(suiteName, name, 'passed', performance.now() - started);
    } catch (err) {
      // uvu runs after.each again when a test fails; an error there is swallowed by uvu.
      for (const hook of g.aEach) {
        try { await hook(state); } catch { /* as uvu */ }
      }
      record.running = null;
      push(suiteName, name, 'failed', performance.now() - started, err);
      throw err; // let uvu print and count it as usual
    }
  };

  const lifecycle = (kind, fn) => async (state) => {
    try {
      await fn(state);
    } catch (err) {
      push(suiteName, `(${kind} hook)`, 'failed', 0, err);
      throw err;
    }
  };

  const t = (name, fn) => {
    gen.tests.push(name);
    inner(name, handlerFor(gen, name, fn));
  };
  t.only = (name, fn) => {
    gen.only.push(name);
    inner.only(name, handlerFor(gen, name, fn));
  };
  t.skip = (name, fn) => {
    push(suiteName, String(name ?? ''), 'skipped', 0);
    inner.skip(name, fn);
  };
  t.before = (fn) => inner.before(lifecycle('before', fn));
  t.before.each = (fn) => { gen.bEach.push(fn); };
  t.after = (fn) => inner.after(lifecycle('after', fn));
  t.after.each = (fn) => { gen.aEach.push(fn); };
  t.run = () => {
    const g = gen;
    gen = generation();
    // uvu skips the plain tests of a suite that has any `.only`.
    if (g.only.length) for (const name of g.tests) push(suiteName, name, 'skipped', 0);
    inner.run();
  };
  return t;
}

export const suite = (name = '', state = {}) => wrapSuite(name, uvu.suite(name, state));
export const test = wrapSuite('', uvu.test);
export const exec = uvu.exec;

process.on('exit', (code) => {
  if (record.running) {
    const { suite: s, name, startedAt } = record.running;
    record.running = null;
    push(s, name, 'failed', Date.now() - startedAt,
      'the process exited before this test finished (a promise that never settles? process.exit? an uncaught error?)', true);
  }
  // Only on a clean exit: after a crash the suites never got the chance to run.
  for (const s of code === 0 ? liveSuites : []) {
    if (s.pending > 0) {
      push(s.suiteName, '(never run)', 'failed', 0,
        `${s.pending} test(s) were registered but the suite's .run() was never called`);
    }
  }
  flush();
  if (record.tests.some((r) => r.status === 'failed')) process.exitCode = process.exitCode || 1;
});
