// Second pass of the validator: the steps as one plan. Resolves references (`after`,
// `requires`), finds cycles, places every step on a timeline (an anchor — the start, or the
// event of an `on` step — plus an offset), checks that no step runs before its
// prerequisite and that no two steps change one entity field at the same moment, and
// gives each step its rank in the tie order. Every problem is reported, with its path and
// the paths of the other steps involved.
import { formatDuration } from './duration.js';
import type { CompiledScript, CompiledStep, Problem, ScriptInput } from './script.js';
import type { Draft, DraftStep } from './structure.js';
import { didYouMean } from './suggest.js';

interface Write {
  step: CompiledStep;
  entity: string;
  field: string;
  /** Interval of the writes, relative to the anchor: a set writes at `start` only; a progression reads at its start and writes in (start, end]. */
  start: number;
  end: number;
  kind: 'set' | 'progress';
  path: string;
}

const label = (s: { path: string; id: string }) => `${s.path} (${s.id})`;

/** Fields overlap when one is the other or lies inside it (`balance` and `balance.amount`). */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);

function writesOverlap(a: Write, b: Write): boolean {
  if (a.kind === 'set' && b.kind === 'set') return a.start === b.start;
  if (a.kind === 'set') return b.start < a.start && a.start <= b.end;
  if (b.kind === 'set') return a.start < b.start && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

export function planScript(draft: Draft, problems: Problem[], input: ScriptInput, source: string): CompiledScript | undefined {
  const before = problems.length;
  const byId = new Map<string, DraftStep>();
  for (const step of draft.steps) {
    const first = byId.get(step.id);
    if (first) problems.push({ path: `${step.path}.id`, kind: 'duplicate-id', message: `"${step.id}" is also the id of ${first.path}: step ids must be unique`, related: [first.path] });
    else byId.set(step.id, step);
  }
  const waypoints = new Map<string, DraftStep>();
  for (const step of draft.steps) {
    if (step.waypoint === undefined) continue;
    const first = waypoints.get(step.waypoint);
    if (first) problems.push({ path: `${step.path}.waypoint`, kind: 'duplicate-waypoint', message: `"${step.waypoint}" is also the waypoint of ${first.path}: waypoints are jump targets and must be unique`, related: [first.path] });
    else waypoints.set(step.waypoint, step);
  }

  // references
  const known = [...byId.keys()];
  const edges = new Map<string, Array<{ to: string; path: string }>>();
  for (const step of draft.steps) {
    const out: Array<{ to: string; path: string }> = [];
    const refs = [
      ...(step.timing?.kind === 'after' ? [{ to: step.timing.step, path: `${step.path}.after` }] : []),
      ...step.requires.map((to, i) => ({ to, path: step.requires.length === 1 && typeof input.steps[step.index]?.requires === 'string' ? `${step.path}.requires` : `${step.path}.requires[${i}]` })),
    ];
    for (const ref of refs) {
      if (!byId.has(ref.to)) problems.push({ path: ref.path, kind: 'unknown-step', message: `no step with id "${ref.to}"${didYouMean(ref.to, known)}; ids: ${known.join(', ')}` });
      else out.push(ref);
    }
    edges.set(step.id, out);
  }

  // cycles (through after and requires), each reported once, with its path
  const state = new Map<string, 'open' | 'done'>();
  const inCycle = new Set<string>();
  const stack: string[] = [];
  const seenCycles = new Set<string>();
  const visit = (id: string) => {
    state.set(id, 'open');
    stack.push(id);
    for (const edge of edges.get(id) ?? []) {
      const s = state.get(edge.to);
      if (s === 'open') {
        const cycle = stack.slice(stack.indexOf(edge.to));
        const key = [...cycle].sort().join('\u0000');
        cycle.forEach((c) => inCycle.add(c));
        if (!seenCycles.has(key)) {
          seenCycles.add(key);
          const steps = cycle.map((c) => byId.get(c)!);
          problems.push({
            path: edge.path,
            kind: 'cycle',
            message: `steps wait for each other in a cycle: ${[...steps, steps[0]!].map(label).join(' → ')}; break it by giving one of them a time (at) of its own`,
            related: steps.map((s) => s.path),
          });
        }
      } else if (s === undefined) visit(edge.to);
    }
    stack.pop();
    state.set(id, 'done');
  };
  for (const id of byId.keys()) if (!state.has(id)) visit(id);

  // timeline: anchor + offset, following `after` chains (memoised; cycles were cut above)
  const placed = new Map<string, { anchor: string; offset: number; duration: number }>();
  const place = (step: DraftStep): { anchor: string; offset: number; duration: number } | undefined => {
    if (placed.has(step.id)) return placed.get(step.id);
    if (inCycle.has(step.id) || !step.timing || byId.get(step.id) !== step) return undefined;
    const duration = step.progress?.over ?? 0;
    let spot: { anchor: string; offset: number; duration: number } | undefined;
    if (step.timing.kind === 'at') spot = { anchor: 'start', offset: step.timing.ms, duration };
    else if (step.timing.kind === 'on') spot = { anchor: step.id, offset: step.timing.delay, duration };
    else {
      const prerequisite = byId.get(step.timing.step);
      const base = prerequisite && place(prerequisite);
      if (base) spot = { anchor: base.anchor, offset: base.offset + base.duration + step.timing.delay, duration };
    }
    if (spot) placed.set(step.id, spot);
    return spot;
  };
  draft.steps.forEach(place);

  const when = (anchor: string, offset: number) => (anchor === 'start' ? `at ${formatDuration(offset)}` : `${formatDuration(offset)} after the event of ${label(byId.get(anchor)!)}`);

  // a step never runs before its prerequisite: `after` with a negative delay, or `requires`
  const endOf = (id: string) => {
    const p = placed.get(id)!;
    return p.offset + p.duration;
  };
  const guaranteedBefore = (prerequisite: string, stepId: string, seen = new Set<string>()): boolean => {
    const p = placed.get(prerequisite)!;
    const s = placed.get(stepId)!;
    if (p.anchor === s.anchor) return endOf(prerequisite) <= s.offset;
    if (s.anchor === 'start' || seen.has(s.anchor)) return false;
    // an `on` step listens only once its own prerequisites have run
    seen.add(s.anchor);
    const trigger = byId.get(s.anchor)!;
    return trigger.requires.some((r) => placed.has(r) && (r === prerequisite || guaranteedBefore(prerequisite, r, seen)));
  };
  for (const step of draft.steps) {
    const spot = placed.get(step.id);
    if (!spot || byId.get(step.id) !== step) continue;
    if (step.timing?.kind === 'after' && step.timing.delay < 0 && placed.has(step.timing.step)) {
      const p = byId.get(step.timing.step)!;
      problems.push({
        path: `${step.path}.delay`,
        kind: 'before-prerequisite',
        message: `${label(step)} would run ${when(spot.anchor, spot.offset)}, ${formatDuration(-step.timing.delay)} before its prerequisite ${label(p)} completes (${when(spot.anchor, endOf(p.id))})${spot.anchor === 'start' && spot.offset < 0 ? ', before the scenario starts' : ''}: a delay after a step cannot be negative`,
        related: [p.path],
      });
    }
    step.requires.forEach((r, i) => {
      if (!placed.has(r) || r === step.id) return;
      const p = byId.get(r)!;
      const path = step.requires.length === 1 && typeof input.steps[step.index]?.requires === 'string' ? `${step.path}.requires` : `${step.path}.requires[${i}]`;
      if (guaranteedBefore(r, step.id)) return;
      const ps = placed.get(r)!;
      if (ps.anchor === spot.anchor) {
        problems.push({
          path,
          kind: 'before-prerequisite',
          message: `${label(step)} runs ${when(spot.anchor, spot.offset)}, before its prerequisite ${label(p)} completes (${when(ps.anchor, endOf(r))}): move it later or write after: ${r}`,
          related: [p.path],
        });
      } else {
        problems.push({
          path,
          kind: 'unordered-prerequisite',
          message: `${label(step)} runs ${when(spot.anchor, spot.offset)} and its prerequisite ${label(p)} ${when(ps.anchor, endOf(r))}: nothing makes one come before the other; write after: ${r}`,
          related: [p.path],
        });
      }
    });
  }

  // ranks: the tie order. A stable topological order of after/requires (Kahn, lowest file index first)
  const rank = new Map<string, number>();
  const pending = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const step of byId.values()) {
    const deps = (edges.get(step.id) ?? []).map((e) => e.to);
    pending.set(step.id, new Set(deps).size);
    for (const d of new Set(deps)) dependents.set(d, [...(dependents.get(d) ?? []), step.id]);
  }
  const ready = [...byId.values()].filter((s) => pending.get(s.id) === 0).map((s) => s.index);
  while (ready.length) {
    ready.sort((a, b) => a - b);
    const index = ready.shift()!;
    const step = draft.steps[index]!;
    rank.set(step.id, rank.size);
    for (const d of dependents.get(step.id) ?? []) {
      const left = pending.get(d)! - 1;
      pending.set(d, left);
      if (left === 0) ready.push(byId.get(d)!.index);
    }
  }

  // compile what was placed, for the conflict check (and, without problems, the runner)
  const compiled: CompiledStep[] = [];
  for (const step of draft.steps) {
    const spot = placed.get(step.id);
    if (!spot || !step.timing || byId.get(step.id) !== step) continue;
    compiled.push({ ...step, timing: step.timing, anchor: spot.anchor, offset: spot.offset, duration: spot.duration, rank: rank.get(step.id) ?? draft.steps.length + step.index });
  }

  // timing conflicts: two writes of one entity field at the same moment (same anchor only:
  // the times of steps after different events are not known before they run)
  const writes: Write[] = [];
  for (const step of compiled) {
    if (step.set) for (const field of Object.keys(step.set.changes)) writes.push({ step, entity: step.set.entity.key, field, start: step.offset, end: step.offset, kind: 'set', path: `${step.path}.set.changes.${field}` });
    if (step.progress) {
      const p = step.progress;
      writes.push({ step, entity: p.entity.key, field: p.field, start: step.offset, end: step.offset + p.over, kind: 'progress', path: `${step.path}.progress` });
      p.linked.forEach((l, i) => writes.push({ step, entity: p.entity.key, field: l.field, start: step.offset, end: step.offset + p.over, kind: 'progress', path: `${step.path}.progress.with[${i}]` }));
    }
  }
  for (let i = 0; i < writes.length; i++) {
    for (let j = i + 1; j < writes.length; j++) {
      const a = writes[i]!;
      const b = writes[j]!;
      if (a.step.anchor !== b.step.anchor || a.entity !== b.entity || !overlaps(a.field, b.field) || !writesOverlap(a, b)) continue;
      const moment = (w: Write) => (w.kind === 'set' ? when(w.step.anchor, w.start) : `from ${when(w.step.anchor, w.start).replace(/^at /, '')} to ${formatDuration(w.end)}`);
      problems.push({
        path: b.path,
        kind: 'timing-conflict',
        message: `changes ${a.entity} ${a.field === b.field ? `"${a.field}"` : `"${b.field}" ("${a.field}")`} at the same moment as ${a.path} (${moment(b)}; ${moment(a)}): move one of them, or chain them with after`,
        related: [a.path],
      });
    }
  }

  if (problems.length > before) return undefined;
  const compiledById = new Map(compiled.map((s) => [s.id, s]));
  const lengthMs = Math.max(0, ...compiled.filter((s) => s.anchor === 'start').map((s) => s.offset + s.duration));
  return {
    name: draft.name,
    ...(draft.description !== undefined && { description: draft.description }),
    session: draft.session,
    steps: compiled,
    byId: compiledById,
    waypoints: new Map([...waypoints].map(([w, s]) => [w, compiledById.get(s.id)!])),
    lengthMs,
    input,
    source,
  };
}
