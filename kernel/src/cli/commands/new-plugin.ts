// `understudy new-plugin <name>`: scaffold a plugin package from templates/new-plugin,
// with dependencies that install where it is written (see dependencyRefs).
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNEL_VERSION } from '../../index.js';
import { parseCommand, str, type CommandSpec } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { CliError, paint, UsageError } from '../output.js';
import { readTemplate, render, templateFiles } from '../templates.js';

const spec: CommandSpec = {
  name: 'new-plugin',
  summary: 'Scaffold a plugin package (definePlugin, config schema, route, admin route, event, uvu test).',
  usage: 'new-plugin <name> [--dir <dir>] [--force]',
  options: {
    dir: { type: 'string', short: 'd', value: 'dir', description: 'Folder to create (default: ./understudy-plugin-<name>).' },
    force: { type: 'boolean', short: 'f', description: 'Write into the folder even if it is not empty (overwrites the scaffold\'s files).' },
  },
  positionals: { min: 1, max: 1 },
  examples: ['understudy new-plugin greeter', 'understudy new-plugin greeter --dir plugins/greeter'],
};

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export function checkPluginName(name: string): void {
  if (!NAME.test(name)) {
    throw new UsageError(
      `invalid plugin name "${name}": use lower-case letters, digits and single dashes, starting with a letter`,
      'for example `understudy new-plugin order-events`.',
    );
  }
}

/** The kernel package the CLI runs from: `kernel/` of a checkout, or an installed copy. */
const KERNEL_DIR = realpathSync(fileURLToPath(new URL('../../../', import.meta.url)));

/** How the scaffold names the SDK and the kernel in its package.json. */
export interface DependencyRefs {
  /**
   * `file`: a folder outside the checkout's workspaces → `file:` references to the
   * checkout's plugin-sdk/ and kernel/; `workspace`: a folder the checkout's `workspaces`
   * globs cover (plugins/<name>) → their exact versions, as every plugin of the repository;
   * `registry`: the CLI runs from an installed package → version ranges.
   */
  how: 'file' | 'workspace' | 'registry';
  sdk: string;
  kernel: string;
}

const readJson = (file: string): Record<string, any> | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

const posixRelative = (from: string, to: string) => relative(from, to).split(sep).join('/') || '.';

/** The real path of a folder that may not exist yet (its nearest existing ancestor, resolved). */
function realPath(dir: string): string {
  if (existsSync(dir)) return realpathSync(dir);
  const parent = dirname(dir);
  return parent === dir ? dir : join(realPath(parent), basename(dir));
}

/** `plugins/*` matches `plugins/greeter` (one segment per `*`, as npm's workspace globs here). */
function matchesWorkspace(rel: string, patterns: unknown): boolean {
  if (!Array.isArray(patterns)) return false;
  const parts = rel.split(sep);
  return patterns.some((p) => {
    const glob = String(p).split('/');
    return glob.length === parts.length && glob.every((g, i) => g === '*' || g === parts[i]);
  });
}

/** What package.json should depend on for a plugin written to `dir` (see DependencyRefs). */
export function dependencyRefs(dir: string, kernelDir = KERNEL_DIR): DependencyRefs {
  const range = `^${KERNEL_VERSION}`;
  const registry: DependencyRefs = { how: 'registry', sdk: range, kernel: range };
  if (kernelDir.split(sep).includes('node_modules')) return registry;
  const checkout = dirname(kernelDir);
  const sdkDir = join(checkout, 'plugin-sdk');
  const sdk = readJson(join(sdkDir, 'package.json'));
  const kernel = readJson(join(kernelDir, 'package.json'));
  if (sdk?.name !== '@understudy/plugin-sdk' || !kernel) return registry;
  const target = realPath(dir);
  if (matchesWorkspace(relative(checkout, target), readJson(join(checkout, 'package.json'))?.workspaces)) {
    return { how: 'workspace', sdk: sdk.version, kernel: kernel.version };
  }
  return { how: 'file', sdk: `file:${posixRelative(target, sdkDir)}`, kernel: `file:${posixRelative(target, kernelDir)}` };
}

/** `templates/new-plugin/src/index.ts.tmpl` → `src/index.ts`; `_gitignore` → `.gitignore`. */
function targetName(template: string): string {
  return template.replace(/\.tmpl$/, '').replace(/(^|[\\/])_/, '$1.');
}

export interface ScaffoldResult {
  dir: string;
  files: string[];
  refs: DependencyRefs;
}

/** Write the plugin package; `progress` is told about each file as it is written. */
export function scaffoldPlugin(
  name: string,
  dir: string,
  options: { force?: boolean; progress?: (file: string) => void } = {},
): ScaffoldResult {
  checkPluginName(name);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force) {
    throw new CliError(`${dir} already exists and is not empty`, 'pick another folder with --dir <dir>, or pass --force to write into it.');
  }
  const refs = dependencyRefs(dir);
  const vars = { name, kernelVersion: KERNEL_VERSION, sdkRef: refs.sdk, kernelRef: refs.kernel };
  const files: string[] = [];
  const order = (f: string) => ['package.json', 'tsconfig.json', 'src/index', 'src', 'test', 'README.md'].findIndex((p) => f.startsWith(p)) >>> 0;
  const templates = templateFiles('new-plugin').sort((a, b) => order(targetName(a)) - order(targetName(b)));
  for (const template of templates) {
    const file = targetName(template);
    const full = join(dir, file);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, render(readTemplate(join('new-plugin', template)), vars));
    files.push(file);
    options.progress?.(file);
  }
  return { dir, files, refs };
}

async function newPlugin(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  const name = positionals[0];
  checkPluginName(name);
  const dir = resolve(ctx.cwd, str(values, 'dir') ?? `understudy-plugin-${name}`);
  const shown = relative(ctx.cwd, dir) || '.';
  const { output } = ctx;
  output.out(`Creating plugin "${name}" in ${shown}`);
  const { refs } = scaffoldPlugin(name, dir, {
    force: values.force === true,
    progress: (file) => output.out(`  ${paint(output, 'green', '+')} ${file}`),
  });
  output.out(`${paint(output, 'green', '✓')} Created understudy-plugin-${name}. Next:`);
  if (refs.how === 'workspace') {
    output.out('  npm install        # at the repository root: links the new workspace');
    output.out(`  cd ${shown} && npm test   # builds, then runs test/plugin.test.ts against a real server`);
  } else {
    output.out(`  cd ${shown}`);
    output.out(
      refs.how === 'file'
        ? "  npm install        # links this checkout's plugin-sdk and kernel (file:), installs typescript and uvu"
        : '  npm install        # @understudy/plugin-sdk, @understudy/kernel, typescript, uvu',
    );
    output.out('  npm test           # builds, then runs test/plugin.test.ts against a real server');
  }
  if (refs.how === 'file' && !existsSync(join(KERNEL_DIR, 'dist', 'index.js'))) {
    output.out(`  (build the checkout first: npm run build in ${dirname(KERNEL_DIR)})`);
  }
  const loadPath = shown.startsWith('.') ? shown : `./${shown}`;
  output.out(`Then load it from understudy.yaml: \`load: [${loadPath}]\` and \`plugins: { ${name}: {} }\`.`);
  return 0;
}

export const newPluginCommand: Command = { spec, run: newPlugin };
