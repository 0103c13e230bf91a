// The CLI's output shown in the docs is what the CLI prints. In README.md, kernel/README.md
// and kernel/CLI.md, a ```console block holds `$ understudy …` lines, each followed by the
// output it shows; a ```yaml block whose first line is `# <file>` is a file those commands
// read. Each doc's blocks run in order in a scratch folder of their own, and the output is
// compared line by line, after these normalisations (applied to both sides):
//   - x.y.z version numbers are not compared;
//   - `start` shown listening without --port gets --port 0 (8080 may be taken), and the URL
//     it prints is compared as port 8080; when the shown output says the port is in use, the test holds
//     a port and passes it for the shown one;
//   - the scratch folder's path is shown as `.`.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { childEnv, cli, cliSource, NOT_BUILT, repoRoot, scratchDir } from './cli-helpers.js';

const DOCS = ['README.md', 'kernel/README.md', 'kernel/CLI.md'];

interface Example {
  /** Where it is shown: `kernel/CLI.md:120`. */
  at: string;
  command: string;
  expected: string[];
}
type Step = { file: string; text: string } | Example;

/** The fixture files and console examples of one doc, in order. */
function parseDoc(doc: string, text: string): Step[] {
  const steps: Step[] = [];
  const fence = /^```(\w*)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(fence)) {
    const [, lang, body] = m;
    const line = text.slice(0, m.index).split('\n').length + 1;
    if (lang === 'yaml' || lang === 'json') {
      const file = /^# ([\w.-]+\.(?:ya?ml|json))\n/.exec(body)?.[1];
      if (file) steps.push({ file, text: body });
    } else if (lang === 'console') {
      const lines = body.replace(/\n$/, '').split('\n');
      lines.forEach((l, i) => {
        if (l.startsWith('$ ')) steps.push({ at: `${doc}:${line + i}`, command: l.slice(2), expected: [] });
        else {
          const last = steps.at(-1);
          if (!last || !('command' in last)) throw new Error(`${doc}:${line + i}: console output before any "$ " command`);
          last.expected.push(l);
        }
      });
    }
  }
  return steps;
}

const version = (s: string) => s.replace(/\b\d+\.\d+\.\d+\b/g, 'x.y.z');

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

/** `understudy start …` until it listens (then SIGTERM) or exits; stdout + stderr up to then. */
function runStart(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', import.meta.resolve('tsx'), cliSource, ...args], {
      cwd,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let listening = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`understudy ${args.join(' ')}: no listening line or exit within 30 s\n${out}\n${err}`));
    }, 30_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (!listening && /^Understudy listening on /m.test(out)) {
        listening = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out + err);
    });
  });
}

/** Run one shown command in `cwd`, as the docs show it (with the normalisations above). */
async function actual(example: Example, cwd: string): Promise<string[]> {
  const [program, ...args] = example.command.split(/\s+/);
  assert.is(program, 'understudy', `${example.at}: console examples run understudy only`);
  let text: string;
  if (args[0] === 'start') {
    const portAt = args.indexOf('--port');
    let held: { server: Server; port: number } | undefined;
    let shownPort: string | undefined;
    if (portAt === -1) {
      // a start that is shown listening gets any free port; one shown failing runs as shown
      if (example.expected.some((l) => l.startsWith('Understudy listening on '))) args.push('--port', '0');
    }
    else if (example.expected.some((l) => l.includes('already in use'))) {
      held = await holdPort();
      shownPort = args[portAt + 1];
      args[portAt + 1] = String(held.port);
    }
    try {
      text = await runStart(args, cwd);
    } finally {
      held?.server.close();
    }
    text = text.replace(/(http:\/\/127\.0\.0\.1:)\d+/g, '$18080');
    if (held && shownPort) text = text.split(String(held.port)).join(shownPort);
  } else {
    const r = await cli(args, { cwd });
    text = r.stdout + r.stderr;
  }
  return text.split(cwd).join('.').replace(/\s+$/, '').split('\n').map((l) => version(l.trimEnd()));
}

test('the parser finds fixtures and examples', () => {
  const doc = [
    '```yaml', '# a.yaml', 'seed: 1', '```',
    '```yaml', 'not: a fixture', '```',
    '```console', '$ understudy validate a.yaml', '✓ a.yaml is valid', '', '$ understudy --version', '0.1.0', '```',
  ].join('\n');
  assert.equal(parseDoc('d.md', `${doc}\n`), [
    { file: 'a.yaml', text: '# a.yaml\nseed: 1\n' },
    { at: 'd.md:9', command: 'understudy validate a.yaml', expected: ['✓ a.yaml is valid', ''] },
    { at: 'd.md:12', command: 'understudy --version', expected: ['0.1.0'] },
  ]);
  assert.throws(() => parseDoc('d.md', '```console\noutput\n```\n'), /d\.md:2: console output before any/);
});

for (const doc of DOCS) {
  test(`${doc}: every example of CLI output is what the CLI prints`, async () => {
    const steps = parseDoc(doc, readFileSync(join(repoRoot, doc), 'utf8'));
    const examples = steps.filter((s): s is Example => 'command' in s);
    assert.ok(examples.length > 0, `${doc} shows no CLI output any more: update DOCS in this test`);
    const scratch = scratchDir('cli-docs');
    try {
      for (const step of steps) {
        if ('file' in step) {
          writeFileSync(join(scratch.dir, step.file), step.text);
          continue;
        }
        const expected = step.expected.join('\n').replace(/\s+$/, '').split('\n').map((l) => version(l.trimEnd()));
        assert.equal(await actual(step, scratch.dir), expected, `${step.at}: $ ${step.command}`);
      }
    } finally {
      scratch.remove();
    }
  });
}

test('kernel/CLI.md shows the line the bin prints before a build', () => {
  assert.match(readFileSync(join(repoRoot, 'kernel/CLI.md'), 'utf8'), `\n${NOT_BUILT}\n`);
});

test.run();
