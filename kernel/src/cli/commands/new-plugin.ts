// `understudy new-plugin <name>`: scaffold a plugin package from templates/new-plugin.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { KERNEL_VERSION } from '../../version.js';
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

/** `templates/new-plugin/src/index.ts.tmpl` → `src/index.ts`; `_gitignore` → `.gitignore`. */
function targetName(template: string): string {
  return template.replace(/\.tmpl$/, '').replace(/(^|[\\/])_/, '$1.');
}

export interface ScaffoldResult {
  dir: string;
  files: string[];
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
  const vars = { name, kernelVersion: KERNEL_VERSION };
  const files: string[] = [];
  const order = (f: string) => ['package.json', 'tsconfig.json', 'src', 'test', 'README.md'].findIndex((p) => f.startsWith(p)) >>> 0;
  const templates = templateFiles('new-plugin').sort((a, b) => order(targetName(a)) - order(targetName(b)));
  for (const template of templates) {
    const file = targetName(template);
    const full = join(dir, file);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, render(readTemplate(join('new-plugin', template)), vars));
    files.push(file);
    options.progress?.(file);
  }
  return { dir, files };
}

async function newPlugin(argv: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseCommand(spec, argv);
  const name = positionals[0];
  checkPluginName(name);
  const dir = resolve(ctx.cwd, str(values, 'dir') ?? `understudy-plugin-${name}`);
  const shown = relative(ctx.cwd, dir) || '.';
  const { output } = ctx;
  output.out(`Creating plugin "${name}" in ${shown}`);
  scaffoldPlugin(name, dir, {
    force: values.force === true,
    progress: (file) => output.out(`  ${paint(output, 'green', '+')} ${file}`),
  });
  output.out(`${paint(output, 'green', '✓')} Created understudy-plugin-${name}. Next:`);
  output.out(`  cd ${shown}`);
  output.out('  npm install        # @understudy/plugin-sdk, typescript, uvu');
  output.out('  npm test           # builds, then runs test/plugin.test.ts against a real server');
  const loadPath = shown.startsWith('.') ? shown : `./${shown}`;
  output.out(`Then load it from understudy.yaml: \`load: [${loadPath}]\` and \`plugins: { ${name}: {} }\`.`);
  return 0;
}

export const newPluginCommand: Command = { spec, run: newPlugin };
