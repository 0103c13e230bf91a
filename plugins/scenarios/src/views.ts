// What the API shows of a script: a summary for lists, and the detail with its timeline
// (each step's anchor and time as the validator placed it), so an author can check the
// order the runner will follow before starting it.
import type { CompiledScript } from './script.js';

export interface TimelineEntry {
  id: string;
  index: number;
  /** `start`, or the id of the `on` step whose event the time counts from. */
  anchor: string;
  /** ms after the anchor. */
  at: number;
  /** ms the step lasts (progressions). */
  duration: number;
  /** Tie order at one moment (lower first). */
  rank: number;
  waypoint?: string;
  narrative?: string;
  does: string[];
}

export interface ScriptSummary {
  name: string;
  description?: string;
  session: string;
  source: string;
  steps: number;
  waypoints: string[];
  lengthMs: number;
}

export interface ScriptDetail extends ScriptSummary {
  timeline: TimelineEntry[];
  script: unknown;
}

export function summaryOf(script: CompiledScript): ScriptSummary {
  return {
    name: script.name,
    ...(script.description !== undefined && { description: script.description }),
    session: script.session,
    source: script.source,
    steps: script.steps.length,
    waypoints: [...script.waypoints.keys()],
    lengthMs: script.lengthMs,
  };
}

export function timelineOf(script: CompiledScript): TimelineEntry[] {
  return [...script.steps]
    .sort((a, b) => (a.anchor === b.anchor ? 0 : a.anchor === 'start' ? -1 : b.anchor === 'start' ? 1 : a.anchor.localeCompare(b.anchor)) || a.offset - b.offset || a.rank - b.rank)
    .map((s) => ({
      id: s.id,
      index: s.index,
      anchor: s.anchor,
      at: s.offset,
      duration: s.duration,
      rank: s.rank,
      ...(s.waypoint !== undefined && { waypoint: s.waypoint }),
      ...(s.narrative !== undefined && { narrative: s.narrative }),
      does: [
        ...(s.timing.kind === 'on' ? [`on ${s.timing.event}`] : []),
        ...(s.set ? [`set ${s.set.entity.key} ${Object.keys(s.set.changes).join(', ')}`] : []),
        ...(s.progress ? [`progress ${s.progress.entity.key} ${s.progress.field} → ${s.progress.to}`] : []),
        ...(s.emit ? [`emit ${s.emit.type}`] : []),
      ],
    }));
}

export function detailOf(script: CompiledScript): ScriptDetail {
  return { ...summaryOf(script), timeline: timelineOf(script), script: script.input };
}
