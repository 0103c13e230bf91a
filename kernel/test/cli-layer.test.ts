// The CLI is a layer of its own inside the kernel package: kernel/src/cli/ imports the
// kernel only through its public entry (kernel/src/index.ts), and nothing else in
// kernel/src imports from cli/. Checked on the import statements of every source file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './cli-helpers.js';

const src = join(repoRoot, 'kernel', 'src');
const cliDir = join(src, 'cli');
const entry = join(src, 'index.ts');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Every module specifier of a file: `import … from`, `export … from`, `import '…'`,
 * `import('…')` and `import type`. Comments are removed first so that examples in them
 * do not count.
 */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) found.push(m[1]);
  return found;
}

/** `../index.js` from kernel/src/cli/run.ts → kernel/src/index.ts. */
function target(file: string, spec: string): string {
  return resolve(dirname(file), spec).replace(/\.js$/, '.ts');
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + sep);
const rel = (file: string) => relative(repoRoot, file);

test('the specifier scan sees every form of import', () => {
  const text = [
    "import { a } from './a.js';",
    "import type { B } from '../b.js';",
    "export { c } from './c.js';",
    "export type * from './d.js';",
    "import './e.js';",
    "const f = await import('./f.js');",
    'import {\n  g,\n  h,\n} from "./g.js";',
    "// import { x } from './commented.js';",
    "/* import { y } from './block.js'; */",
    "const url = 'http://x'; // import z from './z.js'",
  ].join('\n');
  assert.equal(specifiers(text).sort(), ['../b.js', './a.js', './c.js', './d.js', './e.js', './f.js', './g.js']);
});

test('kernel/src/cli imports the kernel only through kernel/src/index.ts', () => {
  const files = walk(cliDir);
  assert.ok(files.length > 5, 'found the CLI sources');
  const wrong: string[] = [];
  let throughEntry = 0;
  for (const file of files) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        // node builtins and third-party packages are fine; the kernel by package name is not
        if (spec.startsWith('@understudy/')) wrong.push(`${rel(file)}: ${spec} (use the relative public entry)`);
        continue;
      }
      const to = target(file, spec);
      if (inside(to, cliDir)) continue;
      if (to === entry) throughEntry++;
      else wrong.push(`${rel(file)}: ${spec} → ${rel(to)}`);
    }
  }
  assert.equal(wrong, [], `imports past the public entry:\n${wrong.join('\n')}`);
  assert.ok(throughEntry > 0, 'the CLI uses the kernel through its entry');
});

test('nothing in kernel/src outside cli/ imports from cli/', () => {
  const wrong: string[] = [];
  for (const file of walk(src).filter((f) => !inside(f, cliDir))) {
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.') && inside(target(file, spec), cliDir)) wrong.push(`${rel(file)}: ${spec}`);
    }
  }
  assert.equal(wrong, [], `imports of the CLI layer from the runtime kernel:\n${wrong.join('\n')}`);
});

test('the node_modules scan lives in the CLI layer only', () => {
  const scans = walk(src).filter((f) => !inside(f, cliDir) && /\breaddirSync\b|['"`]node_modules['"`]/.test(readFileSync(f, 'utf8')));
  assert.equal(scans.map(rel), []);
  assert.match(readFileSync(join(cliDir, 'installed.ts'), 'utf8'), 'export function listInstalled');
});

test.run();
