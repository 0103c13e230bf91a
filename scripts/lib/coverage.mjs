// Coverage for `run-tests.mjs --coverage`. The children write raw V8 coverage into a temp
// folder (NODE_V8_COVERAGE); afterwards we run `c8 report` ourselves (options from
// .c8rc.json, including the global line threshold) so that its report is printed before the
// runner's final line, then check the critical modules at 100 % lines from the istanbul
// JSON c8 wrote, naming each file below and its uncovered lines.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { matchesAny } from './glob.mjs';
import { toPosix } from './discover.mjs';

const require = createRequire(import.meta.url);

export function readC8Config(root) {
  return JSON.parse(readFileSync(join(root, '.c8rc.json'), 'utf8'));
}

function walkTs(dir, out) {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) walkTs(full, out);
    else if (/\.(c|m)?tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Source files selected by the c8 include/exclude globs (repo-relative POSIX paths). */
export function sourceFiles(root, config) {
  const dirs = ['kernel', 'plugin-sdk', 'plugins', 'presets'].map((d) => join(root, d));
  return dirs
    .flatMap((d) => walkTs(d, []))
    .map((f) => toPosix(relative(root, f)))
    .filter((f) => matchesAny(f, config.include ?? []) && !matchesAny(f, config.exclude ?? []));
}

/**
 * Files with no runtime code at all (only types/interfaces): they are erased when compiled,
 * so V8 never sees them and c8's `all` would count every line as uncovered. We exclude them.
 */
export function typeOnlyFiles(root, files) {
  const ts = require('typescript');
  return files.filter((f) => {
    const out = ts.transpileModule(readFileSync(join(root, f), 'utf8'), {
      fileName: f,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true },
    }).outputText;
    return out.replace(/export\s*\{\s*\};?/g, '').replace(/\/\/#.*$/gm, '').trim() === '';
  });
}

/** Uncovered line ranges ("12-14, 20") of one file from c8's istanbul JSON. */
function uncoveredLines(fileCoverage) {
  const lines = new Map();
  for (const [id, loc] of Object.entries(fileCoverage.statementMap)) {
    const line = loc.start.line;
    lines.set(line, Math.max(lines.get(line) ?? 0, fileCoverage.s[id]));
  }
  const missing = [...lines].filter(([, n]) => n === 0).map(([l]) => l).sort((a, b) => a - b);
  const ranges = [];
  for (const l of missing) {
    const last = ranges.at(-1);
    if (last && l === last[1] + 1) last[1] = l;
    else ranges.push([l, l]);
  }
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}

/**
 * @returns {{ failures: Array<{ name: string, error: string }>, linesPct?: number }}
 */
export function reportCoverage({ root, tempDir, enforce, log }) {
  const config = readC8Config(root);
  const reportsDir = resolve(root, config['reports-dir'] ?? config.reportsDir ?? 'coverage');
  const typeOnly = typeOnlyFiles(root, sourceFiles(root, config));
  const excludes = [...(config.exclude ?? []), ...typeOnly];
  const c8 = join(root, 'node_modules', 'c8', 'bin', 'c8.js');
  const args = [c8, 'report', '--temp-directory', tempDir, ...excludes.flatMap((x) => ['--exclude', x])];
  if (!enforce) args.push('--check-coverage=false');
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: '' } });

  log('');
  log(`Coverage (c8 report; ${typeOnly.length} type-only file(s) excluded):`);
  const text = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
  if (text) log(text);

  const failures = [];
  const thresholdErrors = (run.stderr ?? '').split('\n').filter((l) => l.startsWith('ERROR: Coverage'));
  if (run.status !== 0 && enforce) {
    failures.push({
      name: `global thresholds (.c8rc.json: lines ≥ ${config.lines ?? 90}%)`,
      error: thresholdErrors.join('\n') || `c8 report exited with ${run.status ?? run.signal}`,
    });
  } else if (run.status !== 0) {
    failures.push({ name: 'c8 report', error: `c8 report exited with ${run.status ?? run.signal}\n${text}` });
  }

  let linesPct;
  const summaryFile = join(reportsDir, 'coverage-summary.json');
  if (existsSync(summaryFile)) {
    const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
    linesPct = summary.total?.lines?.pct;
    const threshold = config.lines ?? 90;
    const low = Object.entries(summary)
      .filter(([k, v]) => k !== 'total' && v.lines.pct < threshold)
      .map(([k, v]) => ({ file: toPosix(relative(root, k)), pct: v.lines.pct, missing: v.lines.total - v.lines.covered }))
      .sort((a, b) => b.missing - a.missing);
    if (low.length) {
      log(`Files below ${threshold}% lines (most uncovered lines first):`);
      for (const f of low.slice(0, 15)) log(`  ${String(f.pct).padStart(6)}%  ${f.file}  (${f.missing} lines uncovered)`);
      if (low.length > 15) log(`  … and ${low.length - 15} more (see coverage/coverage-summary.json)`);
    }
  }

  const critical = config['x-critical'];
  const finalFile = join(reportsDir, 'coverage-final.json');
  if (critical && enforce) {
    if (!existsSync(finalFile)) {
      failures.push({ name: 'critical modules', error: `${toPosix(relative(root, finalFile))} missing: keep "json" in .c8rc.json reporters` });
    } else {
      const map = JSON.parse(readFileSync(finalFile, 'utf8'));
      const below = [];
      let checked = 0;
      for (const [abs, fc] of Object.entries(map)) {
        const rel = toPosix(relative(root, abs));
        if (!matchesAny(rel, critical.include)) continue;
        checked++;
        const total = Object.keys(fc.s).length;
        const covered = Object.values(fc.s).filter((n) => n > 0).length;
        const pct = total === 0 ? 100 : Math.floor((covered / total) * 10000) / 100;
        if (pct < critical.lines) below.push(`${rel}: ${pct}% lines < ${critical.lines}% (uncovered: ${uncoveredLines(fc)})`);
        const branches = critical.branches;
        if (branches && matchesAny(rel, branches.include)) {
          const counts = Object.values(fc.b).flat();
          const bpct = counts.length === 0 ? 100 : Math.floor((counts.filter((n) => n > 0).length / counts.length) * 10000) / 100;
          if (bpct < branches.pct) below.push(`${rel}: ${bpct}% branches < ${branches.pct}%`);
        }
      }
      const globs = critical.include.join(', ');
      if (below.length) {
        failures.push({ name: `critical modules at ${critical.lines}% lines`, error: below.join('\n') });
      } else {
        log(`Critical modules: ${checked} file(s) at ${critical.lines}% lines (${globs})${critical.branches ? `; 100% branches: ${critical.branches.include.join(', ')}` : ''}${checked ? '' : ' — none exist yet'}`);
      }
    }
  }
  return { failures, linesPct };
}
