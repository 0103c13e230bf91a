// What a command is given (CliContext) and what it is (Command).
import type { Kernel } from '../index.js';
import type { CommandSpec } from './args.js';
import type { Output } from './output.js';

/** What every command is given: where to write and where it runs. */
export interface CliContext {
  output: Output;
  /** Folder relative paths and default config files are resolved against. */
  cwd: string;
  /** `start` wires SIGINT/SIGTERM through the kernel (default true; tests turn it off). */
  handleSignals?: boolean;
  /** `start` hands over its running kernel (tests use it to stop the kernel). */
  onKernel?(kernel: Kernel): void;
}

/** One CLI command: its flags and a function returning the exit code. */
export interface Command {
  spec: CommandSpec;
  run(argv: string[], ctx: CliContext): Promise<number>;
}
