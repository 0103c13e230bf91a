// The `scenarios` service: the loaded scripts and their runs (one per scenario and demo
// session), and the one place every command — REST, WebSocket, another plugin — goes
// through. A load is atomic: the whole script is validated (and its entities looked up
// when a sessions service is loaded) before it replaces anything.
import type { Clock, PluginEvents } from '@understudy/plugin-sdk';
import type { Sessions } from '@understudy/plugin-personas';
import type { Command } from './commands.js';
import { parseCommand } from './commands.js';
import { compileScript, formatProblems } from './compile.js';
import type { ScenariosConfig } from './config.js';
import { ScenarioErrors } from './errors.js';
import { readPath } from './field-path.js';
import { Run, type RunStatus } from './runner.js';
import type { CompiledScript, Problem } from './script.js';
import { didYouMean } from './suggest.js';
import { detailOf, summaryOf, timelineOf, type ScriptDetail, type ScriptSummary, type TimelineEntry } from './views.js';

export interface ServiceDeps {
  clock: Clock;
  events: PluginEvents;
  sessions: () => Sessions | undefined;
  config: ScenariosConfig;
}

export interface ValidationReport {
  valid: boolean;
  problems: Problem[];
  timeline?: TimelineEntry[];
}

/** Names that are routes of the API (`/__admin/scenarios/runs`, `/ws`, `/validate`). */
const RESERVED = new Set(['runs', 'ws', 'validate']);
const ACTIVE = new Set(['running', 'paused']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ "yaml": "…" }` (how YAML travels in a JSON body) → the text; anything else as given. */
const unwrap = (input: unknown) => (isObject(input) && typeof input.yaml === 'string' && Object.keys(input).length === 1 ? input.yaml : input);

export class ScenarioService {
  private readonly scripts = new Map<string, CompiledScript>();
  private readonly runs = new Map<string, Run>();

  constructor(private readonly deps: ServiceDeps) {}

  private compile(input: unknown, source: string, defaultName?: string) {
    const { maxSteps, maxTicks, defaultSession } = this.deps.config;
    return compileScript(unwrap(input), { maxSteps, maxTicks, defaultSession, source, ...(defaultName !== undefined && { defaultName }) });
  }

  /**
   * Problems of a compiled script's entities in its session: each `set`/`progress` entity
   * must exist, and a progression without `from` needs a number to start from.
   */
  entityProblems(script: CompiledScript): Problem[] {
    const sessions = this.deps.sessions();
    if (!sessions) return [];
    const problems: Problem[] = [];
    for (const step of script.steps) {
      for (const [what, target] of [['set', step.set], ['progress', step.progress]] as const) {
        if (!target) continue;
        const { industry, plural, id, key } = target.entity;
        let entity: unknown;
        try {
          entity = sessions.get(script.session, industry, plural, id);
        } catch (err) {
          problems.push({ path: `${step.path}.${what}.entity`, kind: 'unknown-entity', message: `"${key}": ${(err as Error).message}` });
          continue;
        }
        if (entity === undefined) {
          problems.push({ path: `${step.path}.${what}.entity`, kind: 'unknown-entity', message: `no entity "${key}" in session "${script.session}" (GET /${industry}/${plural} lists them)` });
        } else if (what === 'progress') {
          const p = step.progress!;
          if (p.from === undefined && typeof readPath(entity, p.field) !== 'number') {
            problems.push({ path: `${step.path}.progress.field`, kind: 'unknown-entity', message: `"${p.field}" of ${key} is not a number to start from; give the progression a from: value or name a numeric field` });
          }
          p.linked.forEach((l, i) => {
            if (typeof readPath(entity, l.field) !== 'number') problems.push({ path: `${step.path}.progress.with[${i}].field`, kind: 'unknown-entity', message: `"${l.field}" of ${key} is not a number that can move with the progression` });
          });
        }
      }
    }
    return problems;
  }

  /** Validate without loading: every problem, and the timeline when there is none. */
  validate(input: unknown): ValidationReport {
    const { script, problems } = this.compile(input, 'api');
    const all = script ? this.entityProblems(script) : problems;
    return all.length ? { valid: false, problems: all } : { valid: true, problems: [], timeline: timelineOf(script!) };
  }

  /** Compile, or the coded 400 listing every problem (prefixed for config paths). */
  compileOrThrow(input: unknown, source: string, { prefix = '', checkEntities = true, urlName }: { prefix?: string; checkEntities?: boolean; urlName?: string } = {}): CompiledScript {
    const { script, problems } = this.compile(input, source, urlName);
    const all = script && checkEntities ? this.entityProblems(script) : problems;
    const name = script?.name ?? (isObject(input) && typeof input.name === 'string' ? input.name : urlName ?? '');
    if (all.length) throw new ScenarioErrors.INVALID(name, formatProblems(all, prefix));
    return script!;
  }

  /** Load (or replace) a script; refused while it runs. */
  load(input: unknown, source: string, options: { prefix?: string; checkEntities?: boolean; urlName?: string } = {}): { summary: ScriptSummary; created: boolean } {
    const script = this.compileOrThrow(input, source, options);
    if (options.urlName !== undefined && script.name !== options.urlName) throw new ScenarioErrors.NAME_MISMATCH(options.urlName, script.name);
    if (RESERVED.has(script.name)) throw new ScenarioErrors.NAME_RESERVED(script.name);
    const exists = this.scripts.has(script.name);
    if (exists) this.assertIdle(script.name, 'replace');
    else if (this.scripts.size >= this.deps.config.maxScripts) throw new ScenarioErrors.LIMIT_REACHED('scripts', this.deps.config.maxScripts, 'maxScripts');
    // runs of the old version hold its compiled steps: drop them with it
    for (const [key, run] of this.runs) if (run.script.name === script.name) this.runs.delete(key);
    this.scripts.set(script.name, script);
    this.deps.events.emit('scenario.loaded', { scenario: script.name, source, steps: script.steps.length, waypoints: [...script.waypoints.keys()] });
    return { summary: summaryOf(script), created: !exists };
  }

  remove(name: string): void {
    this.script(name);
    this.assertIdle(name, 'delete');
    for (const [key, run] of this.runs) if (run.script.name === name) this.runs.delete(key);
    this.scripts.delete(name);
    this.deps.events.emit('scenario.removed', { scenario: name });
  }

  list(): ScriptSummary[] {
    return [...this.scripts.values()].map(summaryOf);
  }

  detail(name: string): ScriptDetail & { runs: RunStatus[] } {
    const script = this.script(name);
    return { ...detailOf(script), runs: this.runsOf(name) };
  }

  allRuns(): RunStatus[] {
    return [...this.runs.values()].map((r) => r.status());
  }

  /** The compiled script, or 404 with the nearest names. */
  script(name: string): CompiledScript {
    const script = this.scripts.get(name);
    if (!script) throw new ScenarioErrors.NOT_FOUND(name, didYouMean(name, this.scripts.keys()));
    return script;
  }

  private runsOf(name: string): RunStatus[] {
    return [...this.runs.values()].filter((r) => r.script.name === name).map((r) => r.status());
  }

  private assertIdle(name: string, what: string): void {
    const active = [...this.runs.values()].filter((r) => r.script.name === name && ACTIVE.has(r.state)).map((r) => r.session);
    if (active.length) throw new ScenarioErrors.ACTIVE(name, active, what);
  }

  private key(name: string, session: string): string {
    return `${name}\u0000${session}`;
  }

  /** The run of a scenario in a session; `create` makes it (bounded by maxRuns, ended runs dropped first). */
  private run(name: string, session: string | undefined, create: boolean): Run | undefined {
    const script = this.script(name);
    const where = session ?? script.session;
    const key = this.key(name, where);
    let run = this.runs.get(key);
    if (!run && create) {
      if (this.runs.size >= this.deps.config.maxRuns) {
        const spare = [...this.runs].find(([, r]) => !ACTIVE.has(r.state));
        if (!spare) throw new ScenarioErrors.LIMIT_REACHED('runs', this.deps.config.maxRuns, 'maxRuns');
        this.runs.delete(spare[0]);
      }
      run = new Run(script, where, { clock: this.deps.clock, events: this.deps.events, sessions: this.deps.sessions(), maxErrors: this.deps.config.maxErrors }, this.deps.config.speed);
      this.runs.set(key, run);
    }
    return run;
  }

  private started(name: string, session: string | undefined, what: string): Run {
    const run = this.run(name, session, false);
    if (!run || run.state === 'idle') throw new ScenarioErrors.NOT_STARTED(name, session ?? this.script(name).session, what);
    return run;
  }

  /** Run a command (parsed here when it is not yet): what REST and the WebSocket call. */
  execute(given: Command | unknown): unknown {
    const command = parseCommand(given);
    if (command.command === 'list') return { scenarios: this.list(), runs: this.allRuns() };
    const { scenario, session } = command;
    switch (command.command) {
      case 'start': {
        const script = this.script(scenario);
        const where = session ?? script.session;
        const busy = [...this.runs.values()].find((r) => r.session === where && r.script.name !== scenario && ACTIVE.has(r.state));
        if (busy) throw new ScenarioErrors.SESSION_BUSY(where, busy.script.name);
        const run = this.run(scenario, where, true)!;
        run.start(command.speed ?? this.deps.config.speed);
        return run.status();
      }
      case 'status': {
        const run = this.run(scenario, session, false);
        return run ? run.status() : new Run(this.script(scenario), session ?? this.script(scenario).session, { clock: this.deps.clock, events: this.deps.events, sessions: undefined, maxErrors: 1 }, this.deps.config.speed).status();
      }
      case 'jump': {
        const script = this.script(scenario);
        if (!script.waypoints.has(command.waypoint)) {
          const known = [...script.waypoints.keys()];
          throw new ScenarioErrors.WAYPOINT_NOT_FOUND(scenario, command.waypoint, didYouMean(command.waypoint, known), known);
        }
        const where = session ?? script.session;
        const busy = [...this.runs.values()].find((r) => r.session === where && r.script.name !== scenario && ACTIVE.has(r.state));
        if (busy) throw new ScenarioErrors.SESSION_BUSY(where, busy.script.name);
        const run = this.run(scenario, where, true)!;
        run.jump(command.waypoint);
        return run.status();
      }
      case 'pause':
        return this.control(scenario, session, 'pause', (r) => r.pause());
      case 'resume':
        return this.control(scenario, session, 'resume', (r) => r.resume());
      case 'stop':
        return this.control(scenario, session, 'stop', (r) => r.stop());
      case 'rewind':
        return this.control(scenario, session, 'rewind', (r) => r.rewind(command.to));
      case 'speed':
        return this.control(scenario, session, 'change speed', (r) => r.setSpeed(command.speed));
    }
  }

  private control(name: string, session: string | undefined, what: string, act: (run: Run) => void): RunStatus {
    const run = this.started(name, session, what);
    act(run);
    return run.status();
  }

  /** Kernel stopping: every active run ends (`stopped`), no timer left behind. */
  stopAll(): void {
    for (const run of this.runs.values()) run.dispose();
  }
}
