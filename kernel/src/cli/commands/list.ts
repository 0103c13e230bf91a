// `understudy presets` / `understudy plugins`: what is installed, in aligned columns.
import type { ModuleKind } from '../../index.js';
import { listInstalled } from '../installed.js';
import { parseCommand, type CommandSpec } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { paint, table } from '../output.js';

function listCommand(kind: ModuleKind): Command {
  const spec: CommandSpec = {
    name: `${kind}s`,
    summary: `List installed ${kind}s (@understudy/${kind}-* packages).`,
    usage: `${kind}s`,
    options: {},
    examples: [`understudy ${kind}s`],
  };
  return {
    spec,
    async run(argv: string[], ctx: CliContext) {
      parseCommand(spec, argv);
      const { output } = ctx;
      const found = listInstalled(kind, ctx.cwd);
      if (found.length === 0) {
        output.out(`No ${kind}s installed.`);
        output.out(`Install one with: npm install @understudy/${kind}-<name>`);
        return 0;
      }
      const rows = [['NAME', 'VERSION', 'DESCRIPTION'], ...found.map((m) => [m.name, m.version, m.description])];
      const [header, ...lines] = table(rows);
      output.out(paint(output, 'bold', header));
      for (const line of lines) output.out(line);
      output.out();
      output.out(
        kind === 'preset'
          ? 'Start one with `understudy start --preset <name>`.'
          : 'Enable one under `plugins:` in understudy.yaml (`plugins: { <name>: {} }`).',
      );
      return 0;
    },
  };
}

export const presetsCommand = listCommand('preset');
export const pluginsCommand = listCommand('plugin');
