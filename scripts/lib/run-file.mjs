// Runs one test file in its own process group:
//   node --conditions=source --import tsx --import scripts/uvu-recorder.mjs <file>
// and turns what the recorder wrote into result entries, adding one synthetic failed
// entry when the process timed out, or exited non-zero without recording a failure.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const RECORDER = pathToFileURL(join(import.meta.dirname, '..', 'uvu-recorder.mjs')).href;
const TAIL_CHARS = 64 * 1024;
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/** Keeps only the last `max` characters written to it. */
class Tail {
  text = '';
  constructor(max = TAIL_CHARS) { this.max = max; }
  push(chunk) {
    this.text += chunk;
    if (this.text.length > this.max * 2) this.text = this.text.slice(-this.max);
  }
  lines(n) {
    return this.text.replace(ANSI, '').trimEnd().split('\n').slice(-n).join('\n').replace(/^(\s*\n)+/, '');
  }
}

function killGroup(child, signal = 'SIGKILL') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

export const running = new Set();

/**
 * @returns {Promise<{ tests: object[], code: number|null, signal: string|null, timedOut: boolean, durationMs: number, output: string }>}
 */
export function runFile({ root, file, rel, timeoutMs, env, resultsFile, verbose, log }) {
  rmSync(resultsFile, { force: true });
  const started = performance.now();
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--import', RECORDER, file],
    {
      cwd: root,
      detached: true, // own process group, so a timeout kills servers/children it spawned too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...env, UVU_RECORDER_OUT: resultsFile },
    },
  );
  running.add(child);
  const out = new Tail();
  const err = new Tail();
  const relay = (stream, tail) => {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      tail.push(chunk);
      out !== tail && out.push(chunk);
      if (verbose) for (const line of chunk.replace(/\n$/, '').split('\n')) log(`  │ ${rel}: ${line}`);
    });
  };
  relay(child.stdout, out);
  relay(child.stderr, err);

  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child);
  }, timeoutMs);

  return new Promise((resolvePromise) => {
    let exit = { code: null, signal: null };
    let straggler;
    child.on('error', (e) => err.push(String(e?.stack ?? e)));
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      clearTimeout(timer);
      // Grandchildren the test left behind keep the pipes open: give them a moment, then end them.
      straggler = setTimeout(() => killGroup(child), 2000);
    });
    child.on('close', () => {
      clearTimeout(timer);
      clearTimeout(straggler);
      killGroup(child);
      running.delete(child);
      const durationMs = Math.round(performance.now() - started);
      let recorded = { tests: [], running: null };
      if (existsSync(resultsFile)) {
        try {
          recorded = JSON.parse(readFileSync(resultsFile, 'utf8'));
        } catch {
          // a half-written file: treat as nothing recorded
        }
      }
      const tests = recorded.tests.map(({ synthetic, ...t }) => ({ file: rel, ...t }));
      const ownFailure = recorded.tests.some((t) => t.status === 'failed' && !t.synthetic);
      const stderrTail = err.lines(30) || out.lines(30);
      if (timedOut) {
        const during = recorded.running
          ? ` while running "${[recorded.running.suite, recorded.running.name].filter(Boolean).join(' › ')}"`
          : '';
        tests.push({
          file: rel, suite: rel, name: '(timed out)', status: 'failed', durationMs,
          error: `killed after ${Math.round(timeoutMs / 1000)} s${during}${stderrTail ? `\n${stderrTail}` : ''}`,
        });
      } else if ((exit.code !== 0 || exit.signal) && !ownFailure) {
        tests.push({
          file: rel, suite: rel, name: '(file crashed)', status: 'failed', durationMs,
          error: `exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`}${stderrTail ? `\n${stderrTail}` : ''}`,
        });
      }
      rmSync(resultsFile, { force: true });
      resolvePromise({ tests, ...exit, timedOut, durationMs, output: out.lines(200) });
    });
  });
}

export function killAll() {
  for (const child of running) killGroup(child);
}
