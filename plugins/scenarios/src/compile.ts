// The validator's entry: a script (an object, or YAML text) → the compiled script, or every
// problem with its path (and line:column when it came as text). Both passes always run, so
// one answer lists all the problems, not the first.
import { parseScriptText } from './parse.js';
import { planScript } from './plan.js';
import type { CompiledScript, Problem, ScriptInput } from './script.js';
import { checkStructure, type Limits } from './structure.js';

export interface CompileOptions extends Limits {
  /** Session of a script that names none. */
  defaultSession: string;
  /** Where the script came from (file path, `config`, `api`). */
  source: string;
  /** Name of a script that gives none (PUT's URL). */
  defaultName?: string;
}

export interface CompileResult {
  script?: CompiledScript;
  problems: Problem[];
}

/** Compile a script given as a value (JSON body, inline config) or as YAML/JSON text. */
export function compileScript(given: unknown, options: CompileOptions): CompileResult {
  let value = given;
  let locate: ((path: string) => string | undefined) | undefined;
  if (typeof given === 'string') {
    const parsed = parseScriptText(given);
    if (parsed.syntax.length) return { problems: parsed.syntax.map((s) => ({ path: '(text)', kind: 'schema', message: `YAML: ${s.message}`, at: s.at })) };
    value = parsed.value;
    locate = parsed.locate;
  }
  if (options.defaultName !== undefined && typeof value === 'object' && value !== null && !Array.isArray(value) && !('name' in value)) value = { name: options.defaultName, ...value };
  const problems: Problem[] = [];
  const draft = checkStructure(value, problems, options, options.defaultSession);
  const script = draft && planScript(draft, problems, value as ScriptInput, options.source);
  if (locate) for (const p of problems) {
    const at = locate(p.path);
    if (at) p.at = at;
  }
  return problems.length ? { problems } : { script: script!, problems };
}

/** One line per problem: `steps[2].after (line 12:12): no step "salry" …`, prefixed (`plugins.scenarios.scripts[0].`). */
export function formatProblems(problems: Problem[], prefix = ''): string[] {
  return problems.map((p) => `${prefix}${p.path}${p.at ? ` (line ${p.at})` : ''}: ${p.message}`);
}
