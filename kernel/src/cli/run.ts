// The CLI's dispatcher: `understudy <command> [options]` → a command's exit code.
import { editDistance, KERNEL_VERSION } from '../index.js';
import { parseCommand, printHelp } from './args.js';
import { initCommand } from './commands/init.js';
import { pluginsCommand, presetsCommand } from './commands/list.js';
import { newPluginCommand } from './commands/new-plugin.js';
import { startCommand } from './commands/start.js';
import { validateCommand } from './commands/validate.js';
import type { CliContext, Command } from './context.js';
import { printError, UsageError } from './output.js';

export const commands: Record<string, Command> = {
  start: startCommand,
  presets: presetsCommand,
  plugins: pluginsCommand,
  validate: validateCommand,
  init: initCommand,
  'new-plugin': newPluginCommand,
};

export function printUsage(ctx: CliContext): void {
  const { output } = ctx;
  output.out(`understudy ${KERNEL_VERSION}: stands in for the things your software talks to.`);
  output.out();
  output.out('Usage: understudy <command> [options]');
  output.out();
  output.out('Commands:');
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  for (const [name, command] of Object.entries(commands)) output.out(`  ${name.padEnd(width)}  ${command.spec.summary}`);
  output.out();
  output.out('Run `understudy <command> --help` for its options; `understudy --version` for the version.');
}

/** Run one CLI invocation; never throws, returns the exit code (0 ok, 1 failure, 2 usage). */
export async function run(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h') {
      printUsage(ctx);
      return 0;
    }
    if (name === '--version' || name === '-v' || name === 'version') {
      ctx.output.out(KERNEL_VERSION);
      return 0;
    }
    if (name === 'help') {
      const target = rest[0] ? commands[rest[0]] : undefined;
      if (target) printHelp(ctx.output, target.spec);
      else printUsage(ctx);
      return 0;
    }
    const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
    if (!command) {
      const names = Object.keys(commands);
      const close = names.filter((c) => editDistance(c, name) <= 2);
      throw new UsageError(
        `unknown command "${name}". Commands: ${names.join(', ')}`,
        close.length ? `did you mean \`understudy ${close[0]}\`?` : 'run `understudy --help` for what each command does.',
      );
    }
    if (rest.includes('--help') || rest.includes('-h')) {
      parseCommand(command.spec, rest); // still reject unknown flags
      printHelp(ctx.output, command.spec);
      return 0;
    }
    return await command.run(rest, ctx);
  } catch (err) {
    printError(ctx.output, err, ctx.cwd);
    return err instanceof UsageError ? 2 : 1;
  }
}
