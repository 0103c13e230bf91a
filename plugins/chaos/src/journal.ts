// An experiment run in Chaos Toolkit's journal shape (what `chaos run` writes to
// journal.json): the experiment, status, deviated, steady_states before/after/during,
// run[] and rollbacks[] with each activity, its output, status, start, end and duration.
// Times are the kernel clock's (ISO 8601), durations in seconds as Chaos Toolkit's.
import type { ActivityResult, ActivityTiming, Experiment, HypothesisResult, ProbeResult } from './experiments.js';
import type { Activity, ExperimentSpec } from './specs.js';

export interface JournalEntry {
  activity: Activity | { type: string; name?: string };
  output: unknown;
  /** Whether the activity ran (`failed`: it raised; a probe outside its tolerance still `succeeded`). */
  status: 'succeeded' | 'failed';
  start?: string;
  end?: string;
  duration?: number;
  /** Probes of a steady-state hypothesis. */
  tolerance_met?: boolean;
  exception?: string[];
}

export interface JournalSteadyState {
  steady_state_met: boolean;
  probes: JournalEntry[];
  /** "Tolerance met within T" (beyond Chaos Toolkit): the window, the polls, when it held. */
  within?: { withinMs: number; attempts: number; metAfterMs?: number };
}

export interface Journal {
  'chaoslib-version': string;
  platform: string;
  node: string;
  experiment: ExperimentSpec;
  start?: string;
  end?: string;
  /** Seconds. */
  duration?: number;
  /** Chaos Toolkit's: a run whose hypothesis deviated is `failed` (with `deviated: true`). */
  status: 'running' | 'pending' | 'completed' | 'failed' | 'aborted' | 'interrupted';
  deviated: boolean;
  /** Why it ended as it did (beyond Chaos Toolkit). */
  reason?: string;
  steady_states: { before: JournalSteadyState | null; after: JournalSteadyState | null; during: JournalSteadyState[] };
  run: JournalEntry[];
  rollbacks: JournalEntry[];
}

type Timings = (o: object) => ActivityTiming | undefined;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

function times(t: ActivityTiming | undefined) {
  if (!t) return {};
  return { start: iso(t.start), end: iso(t.end), duration: (t.end - t.start) / 1000 };
}

function probeEntry(p: ProbeResult, timings: Timings): JournalEntry {
  const t = timings(p);
  return {
    activity: t?.activity ?? { type: 'probe', name: p.name },
    output: p.value,
    status: p.error === undefined ? 'succeeded' : 'failed',
    ...times(t),
    tolerance_met: p.ok,
    ...(p.error !== undefined && { exception: [p.error] }),
  };
}

function steadyState(h: HypothesisResult | undefined, timings: Timings): JournalSteadyState | null {
  if (!h) return null;
  return {
    steady_state_met: h.met,
    probes: h.probes.map((p) => probeEntry(p, timings)),
    ...(h.withinMs !== undefined && { within: { withinMs: h.withinMs, attempts: h.attempts!, ...(h.metAfterMs !== undefined && { metAfterMs: h.metAfterMs }) } }),
  };
}

function outputOf(r: ActivityResult): unknown {
  if (r.probe) return r.probe.value;
  if (r.output !== undefined) return r.output;
  if (r.faultId !== undefined) return { faultId: r.faultId, ...(r.durationMs !== undefined && { durationMs: r.durationMs }) };
  if (r.cleared !== undefined) return { cleared: r.cleared };
  return null;
}

function entry(r: ActivityResult, timings: Timings): JournalEntry {
  const t = timings(r);
  const error = r.error ?? r.probe?.error;
  return {
    activity: t?.activity ?? { type: r.type, ...(r.name !== undefined && { name: r.name }) },
    output: outputOf(r),
    status: error === undefined ? 'succeeded' : 'failed',
    ...times(t),
    ...(r.probe && { tolerance_met: r.probe.ok }),
    ...(error !== undefined && { exception: [error] }),
  };
}

export function toJournal(e: Experiment, timings: Timings): Journal {
  // Chaos Toolkit's deviation: the hypothesis did not hold after (or during) the method
  const deviated = e.after?.met === false || e.during.some((h) => !h.met);
  const status = e.status === 'completed' && deviated ? 'failed' : e.status;
  return {
    'chaoslib-version': 'understudy-chaos/0.1.0',
    platform: 'understudy',
    node: 'understudy',
    experiment: e.spec,
    start: iso(e.startedAt),
    end: iso(e.endedAt),
    duration: e.startedAt !== undefined && e.endedAt !== undefined ? (e.endedAt - e.startedAt) / 1000 : undefined,
    status,
    deviated,
    ...(e.reason !== undefined && { reason: e.reason }),
    steady_states: {
      before: steadyState(e.before, timings),
      after: steadyState(e.after, timings),
      during: e.during.map((h) => steadyState(h, timings)!),
    },
    run: [...e.method, ...(e.broken ? [e.broken] : [])].map((r) => entry(r, timings)),
    rollbacks: e.rollbacks.map((r) => entry(r, timings)),
  };
}
