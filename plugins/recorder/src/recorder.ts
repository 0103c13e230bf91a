// The recorder: turns scenario steps, waypoints, jumps, chosen events and annotations into
// markers, groups them into takes (one per scenario run, or started by hand), keeps them
// in a bounded store, exports them (WebVTT chapters, JSON) and drives OBS. Each marker
// carries scenario time and wall time (kernel clock). Handling an event is synchronous and
// cheap; everything that waits (OBS requests, file writes) runs on one queue in order, so
// a StartRecord always precedes the take's chapters and its StopRecord.
import { RingBuffer, type Clock, type PluginContext, type PluginEvents, type UnderstudyEvent } from '@understudy/plugin-sdk';
import type { RecorderConfig } from './config.js';
import type { Marker, MarkerKind, RecorderStatus, Take } from './contract.js';
import { RecorderErrors } from './errors.js';
import { writeTakeFiles } from './files.js';
import type { ObsLink } from './obs.js';
import { hasSpeed, isStep, isWaypoint, runKey, runRef, type EndedData, type JumpData, type RunRef } from './scenario-events.js';
import { Timeline } from './timeline.js';
import { toWebVtt } from './webvtt.js';

/** The scenario events the recorder listens to, whatever the config. */
export const SCENARIO_EVENTS = ['scenario.started', 'scenario.step', 'scenario.waypoint', 'scenario.paused', 'scenario.resumed', 'scenario.speed', 'scenario.jumped', 'scenario.ended'];

const TITLE_MAX = 200;

interface ActiveTake {
  take: Take;
  timeline?: Timeline;
  /** Chapters stop for a take after OBS refused one (the files have them all). */
  chaptersRefused: boolean;
}

export interface Annotation {
  text: string;
  /** Scenario ms; omitted = now. */
  at?: number;
  scenario?: string;
  session?: string;
}

export interface RecorderDeps {
  clock: Clock;
  logger: PluginContext['logger'];
  events: PluginEvents;
  obs: ObsLink;
  /** Absolute folder of the files. */
  dir: string;
}

/** Scenario time as people read it: `1:30`, `1:02:03`. */
function clockTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}` : `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** `{field}` / `{a.b}` from the event data; a missing field stays as written. */
function fillTitle(template: string, data: unknown): string {
  return template.replace(/\{([\w.-]+)\}/g, (whole, path: string) => {
    let v: unknown = data;
    for (const key of path.split('.')) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
    return v === undefined || v === null || typeof v === 'object' ? whole : String(v);
  });
}

export class Recorder {
  private readonly store: RingBuffer<Marker>;
  private readonly takes: RingBuffer<Take>;
  private readonly active = new Map<string, ActiveTake>();
  /** Step markers recently made (run|step|at), so the waypoint event of the same step adds none. */
  private readonly recentSteps = new RingBuffer<string>(256);
  private readonly rules: Map<string, string | undefined>;
  private markerSeq = 0;
  private takeSeq = 0;
  private queue: Promise<void> = Promise.resolve();
  private filesWritten = 0;
  private filesError: string | undefined;
  /** Takes OBS is recording for; OBS stops when the last ends. */
  private readonly obsTakes = new Set<string>();
  pendingDropped = () => 0;

  constructor(
    private readonly config: RecorderConfig,
    private readonly deps: RecorderDeps,
  ) {
    this.store = new RingBuffer(config.maxMarkers, { maxBytes: config.maxBytes, sizeOf: (m) => JSON.stringify(m).length });
    this.takes = new RingBuffer(config.maxTakes);
    this.rules = new Map(config.events.map((r) => (typeof r === 'string' ? [r, undefined] : [r.type, r.title])));
  }

  /** Event types worth queueing. */
  interestingTypes(): Set<string> {
    return new Set([...SCENARIO_EVENTS, ...this.rules.keys()]);
  }

  // ---- events ---------------------------------------------------------------------------

  handle(event: UnderstudyEvent): void {
    const data = event.data as unknown;
    const ref = event.type.startsWith('scenario.') ? runRef(data) : undefined;
    if (ref) this.scenarioEvent(event.type, ref, data, event.source);
    if (this.rules.has(event.type)) {
      const template = this.rules.get(event.type);
      const take = this.latestActive();
      this.addMarker({
        kind: 'event',
        title: cut(template ? fillTitle(template, data) : event.type, TITLE_MAX),
        eventType: event.type,
        source: event.source,
        wallAt: event.at,
        active: take,
        scenarioAt: take?.timeline?.scenarioAt(event.at) ?? null,
      });
    }
  }

  private scenarioEvent(type: string, ref: RunRef, data: unknown, source: string): void {
    const key = runKey(ref);
    const wallAt = typeof ref.wallAt === 'number' ? ref.wallAt : this.deps.clock.now();
    const run = this.active.get(key);
    // a step or a waypoint: the same marker, titled by the waypoint when there is one
    const stepMarker = (kind: 'step' | 'waypoint', title: string, d: { step: string; waypoint?: string; narrative?: string; at: number }) =>
      this.addMarker({ kind, title: cut(title, TITLE_MAX), text: d.narrative, step: d.step, waypoint: d.waypoint, scenario: ref.scenario, session: ref.session, eventType: type, source, wallAt, active: run, scenarioAt: d.at });
    switch (type) {
      case 'scenario.started': {
        if (run) this.endTake(run, wallAt, 'restarted');
        this.startTake(ref.scenario, ref.session ?? 'default', wallAt, new Timeline(ref.at, wallAt, hasSpeed(data) ? data.speed : 1), key);
        return;
      }
      case 'scenario.paused':
        return run?.timeline?.paused(ref.at, wallAt);
      case 'scenario.resumed':
        return run?.timeline?.resumed(ref.at, wallAt);
      case 'scenario.speed':
        return run?.timeline?.moved(ref.at, wallAt, hasSpeed(data) ? data.speed : undefined);
      case 'scenario.jumped': {
        run?.timeline?.moved(ref.at, wallAt);
        const jump = data as JumpData;
        const verb = jump.kind === 'rewind' ? 'Rewound' : 'Jumped';
        const title = `${verb} to ${typeof jump.waypoint === 'string' ? jump.waypoint : clockTime(ref.at)}`;
        this.addMarker({ kind: 'jump', title, source, eventType: type, scenario: ref.scenario, session: ref.session, wallAt, active: run, scenarioAt: ref.at });
        return;
      }
      case 'scenario.ended':
        if (run) this.endTake(run, wallAt, typeof (data as EndedData).reason === 'string' ? (data as EndedData).reason! : 'ended');
        return;
      case 'scenario.step': {
        if (!isStep(data) || !this.config.scenarioSteps || (data.replayed && !this.config.replayedSteps)) return;
        this.recentSteps.push(`${key}|${data.step}|${data.at}`);
        stepMarker(data.waypoint ? 'waypoint' : 'step', data.waypoint ?? data.step, data);
        return;
      }
      case 'scenario.waypoint': {
        if (!isWaypoint(data) || !this.config.scenarioSteps || (data.replayed && !this.config.replayedSteps)) return;
        if (this.recentSteps.toArray().includes(`${key}|${data.step}|${data.at}`)) return;
        stepMarker('waypoint', data.waypoint, data);
      }
    }
  }

  // ---- markers --------------------------------------------------------------------------

  private addMarker(m: {
    kind: MarkerKind;
    title: string;
    text?: string;
    step?: string;
    waypoint?: string;
    scenario?: string;
    session?: string;
    eventType?: string;
    source: string;
    wallAt: number;
    active: ActiveTake | undefined;
    scenarioAt: number | null;
    /** An annotation placed in the past: in the files, not in OBS. */
    retroactive?: boolean;
  }): Marker {
    const take = m.active?.take;
    const marker: Marker = {
      id: `m-${++this.markerSeq}`,
      kind: m.kind,
      title: m.title,
      ...(m.text !== undefined && { text: m.text }),
      ...((m.scenario ?? take?.scenario) && { scenario: m.scenario ?? take!.scenario! }),
      ...((m.session ?? take?.session) && { session: m.session ?? take!.session! }),
      ...(m.step !== undefined && { step: m.step }),
      ...(m.waypoint !== undefined && { waypoint: m.waypoint }),
      ...(m.eventType !== undefined && { eventType: m.eventType }),
      source: m.source,
      ...(take && { take: take.id }),
      scenarioAt: m.scenarioAt,
      wallAt: m.wallAt,
      wallTime: new Date(m.wallAt).toISOString(),
      offsetMs: take ? m.wallAt - take.startedAt : null,
    };
    this.store.push(marker);
    this.deps.events.emit('recorder.marker', { id: marker.id, kind: marker.kind, title: marker.title, take: marker.take, scenarioAt: marker.scenarioAt, wallAt: marker.wallAt });
    // OBS places a chapter at its current position: a marker placed in the past cannot be one
    const active = m.active;
    // decided on the queue, after the take's StartRecord (queued before it) has run
    if (active && !m.retroactive && this.config.obs?.chapters && this.deps.obs.status.state !== 'disabled') {
      this.enqueue(async () => {
        if (active.chaptersRefused || !this.deps.obs.connected || !this.chaptersFor(active)) return;
        if (await this.deps.obs.chapter(marker.title)) active.take.obs.chapters++;
        else {
          active.take.obs.chaptersFailed++;
          active.chaptersRefused = true;
        }
      });
    }
    return marker;
  }

  /** An annotation: now, or at a scenario time this take has shown. */
  annotate(a: Annotation): Marker {
    const problems: string[] = [];
    if (typeof a.text !== 'string' || !a.text.trim()) problems.push('text: must be a non-empty string');
    else if (a.text.length > this.config.maxTextLength) problems.push(`text: must be at most ${this.config.maxTextLength} characters (plugins.recorder.maxTextLength), got ${a.text.length}`);
    if (a.at !== undefined && (typeof a.at !== 'number' || !Number.isFinite(a.at) || a.at < 0)) problems.push('at: must be a number of scenario ms >= 0');
    if (problems.length) throw new RecorderErrors.INVALID(problems);
    const active = this.chooseTake(a);
    const now = this.deps.clock.now();
    let wallAt = now;
    let scenarioAt: number | null = active?.timeline?.scenarioAt(now) ?? null;
    if (a.at !== undefined) {
      if (!active?.timeline) throw new RecorderErrors.NO_SCENARIO(`Cannot mark at ${a.at} ms`);
      const wall = active.timeline.wallAtOf(a.at, now);
      if (wall === undefined) throw new RecorderErrors.NOT_IN_RUN(a.at, active.timeline.scenarioAt(now), active.take.id);
      wallAt = wall;
      scenarioAt = Math.floor(a.at);
    }
    const text = a.text.trim();
    return this.addMarker({ kind: 'annotation', title: cut(text.split(/\r?\n/)[0]!, TITLE_MAX), text, source: 'annotation', wallAt, active, scenarioAt, retroactive: a.at !== undefined });
  }

  /** The take an annotation goes to: of the named run, else the latest running one. */
  private chooseTake(a: Annotation): ActiveTake | undefined {
    if (a.scenario !== undefined) {
      const run = this.active.get(runKey({ scenario: a.scenario, session: a.session }));
      if (!run) throw new RecorderErrors.NO_SCENARIO(`Scenario "${a.scenario}" (session ${a.session ?? 'default'})`);
      return run;
    }
    return this.latestActive();
  }

  private latestActive(): ActiveTake | undefined {
    let latest: ActiveTake | undefined;
    for (const run of this.active.values()) if (!latest || run.take.startedAt >= latest.take.startedAt) latest = run;
    return latest;
  }

  // ---- takes ----------------------------------------------------------------------------

  private startTake(scenario: string | null, session: string | null, wallAt: number, timeline: Timeline | undefined, key: string): Take {
    const take: Take = { id: `take-${++this.takeSeq}`, scenario, session, startedAt: wallAt, obs: { recorded: false, chapters: 0, chaptersFailed: 0 } };
    this.takes.push(take);
    const active: ActiveTake = { take, timeline, chaptersRefused: false };
    this.active.set(key, active);
    this.deps.events.emit('recorder.takeStarted', { id: take.id, scenario, session, startedAt: wallAt });
    if (this.deps.obs.status.state !== 'disabled') {
      this.enqueue(async () => {
        if (!(await this.deps.obs.connect()) || !this.config.obs?.record) return;
        // one OBS recording spans overlapping takes
        if (this.obsTakes.size > 0 || (await this.deps.obs.startRecording())) {
          this.obsTakes.add(take.id);
          take.obs.recorded = true;
        } else take.obs.error = this.deps.obs.status.lastError?.message;
      });
    }
    return take;
  }

  /**
   * Whether a take's markers become OBS chapters: with `obs.chapters`, in a take OBS records
   * for us — or in any take when `obs.record` is off (the presenter records by hand).
   */
  private chaptersFor(run: ActiveTake): boolean {
    return this.config.obs!.record ? this.obsTakes.has(run.take.id) : true;
  }

  private endTake(run: ActiveTake, wallAt: number, reason: string): void {
    const { take } = run;
    for (const [key, r] of this.active) if (r === run) this.active.delete(key);
    take.endedAt = Math.max(wallAt, take.startedAt);
    take.endReason = reason;
    const markers = this.markersOf(take.id);
    this.deps.events.emit('recorder.takeEnded', { id: take.id, scenario: take.scenario, session: take.session, startedAt: take.startedAt, endedAt: take.endedAt, endReason: reason, markers: markers.length });
    const vtt = toWebVtt(take, markers, take.endedAt);
    const json = JSON.stringify(this.exportDocument(take, markers), null, 2);
    this.enqueue(async () => {
      if (this.obsTakes.delete(take.id) && this.obsTakes.size === 0) {
        const path = await this.deps.obs.stopRecording();
        if (path) take.obs.outputPath = path;
      }
      if (!this.config.files.enabled) return;
      try {
        take.files = await writeTakeFiles(this.deps.dir, take, vtt, json);
        this.filesWritten++;
        this.filesError = undefined;
        this.deps.events.emit('recorder.filesWritten', { take: take.id, ...take.files });
      } catch (err) {
        this.filesError = `${take.id}: ${(err as Error).message}`;
        this.deps.logger.error({ err, take: take.id, dir: this.deps.dir }, 'recorder: could not write the take files');
      }
    });
  }

  /** A take by hand (no scenario): markers and OBS as for a scenario's. */
  startManualTake(): Take {
    const running = this.active.get('manual');
    if (running) throw new RecorderErrors.TAKE_RUNNING(running.take.id);
    return this.startTake(null, null, this.deps.clock.now(), undefined, 'manual');
  }

  stopTake(id: string): Take {
    const take = this.take(id);
    const run = [...this.active.values()].find((r) => r.take === take);
    if (!run) throw new RecorderErrors.TAKE_ENDED(id);
    this.endTake(run, this.deps.clock.now(), 'manual');
    return take;
  }

  /** End every running take (the kernel is stopping), then wait for OBS and the files. */
  async stop(): Promise<void> {
    for (const run of [...this.active.values()]) this.endTake(run, this.deps.clock.now(), 'kernel stopping');
    await this.idle();
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((err) => this.deps.logger.error({ err }, 'recorder: OBS or file work failed'));
  }

  /** Resolves when OBS requests and file writes queued so far are done. */
  idle(): Promise<void> {
    return this.queue;
  }

  // ---- reads ----------------------------------------------------------------------------

  take(id: string): Take {
    const take = this.takes.toArray().find((t) => t.id === id);
    if (!take) throw new RecorderErrors.TAKE_NOT_FOUND(id, this.takes.toArray().map((t) => t.id));
    return take;
  }

  listTakes(): Take[] {
    return this.takes.toArray();
  }

  /** The named take, else the latest one. */
  resolveTake(id?: string): Take {
    if (id !== undefined) return this.take(id);
    const all = this.takes.toArray();
    if (!all.length) throw new RecorderErrors.NO_TAKE();
    return all[all.length - 1]!;
  }

  markers(filter: { take?: string; kind?: MarkerKind } = {}): Marker[] {
    if (filter.take !== undefined) this.take(filter.take);
    return this.store.toArray().filter((m) => (filter.take === undefined || m.take === filter.take) && (filter.kind === undefined || m.kind === filter.kind));
  }

  private markersOf(take: string): Marker[] {
    return this.store.toArray().filter((m) => m.take === take);
  }

  clearMarkers(): number {
    const n = this.store.length;
    this.store.clear();
    return n;
  }

  chapters(takeId?: string): { take: Take; vtt: string } {
    const take = this.resolveTake(takeId);
    return { take, vtt: toWebVtt(take, this.markersOf(take.id), this.deps.clock.now()) };
  }

  exportJson(takeId?: string) {
    const take = this.resolveTake(takeId);
    return this.exportDocument(take, this.markersOf(take.id));
  }

  private exportDocument(take: Take, markers: Marker[]) {
    return { take, markers: [...markers].sort((a, b) => (a.offsetMs ?? 0) - (b.offsetMs ?? 0)), dropped: this.store.dropped };
  }

  status(): RecorderStatus {
    const obs = this.deps.obs.status;
    // connected, but OBS refused to record a running take: the files are its record
    const refused = [...this.active.values()].find((r) => r.take.obs.error)?.take;
    const mode = obs.state === 'connected' && !refused ? 'obs' : 'files';
    const where = this.config.files.enabled ? `written to WebVTT and JSON files in ${this.deps.dir} when a take ends` : 'served by /__admin/recorder/chapters.vtt and /markers.json (files are off)';
    const summary =
      refused
        ? `OBS is connected at ${obs.url} but refused to record ${refused.id} (${refused.obs.error}): its markers are ${where}.`
        : obs.state === 'connected'
        ? `OBS is connected at ${obs.url}: takes are recorded in OBS with a chapter at each marker, and markers are also ${where}.`
        : obs.state === 'disabled'
          ? `OBS is not configured: markers are ${where}.`
          : `OBS is unavailable (${obs.reason}): markers are ${where}.`;
    return {
      mode,
      summary,
      obs: { ...obs },
      markers: { count: this.store.length, bytes: this.store.bytes, dropped: this.store.dropped, maxMarkers: this.config.maxMarkers, maxBytes: this.config.maxBytes, pendingDropped: this.pendingDropped() },
      takes: { count: this.takes.length, active: [...this.active.values()].map((r) => r.take.id) },
      files: { enabled: this.config.files.enabled, dir: this.deps.dir, written: this.filesWritten, ...(this.filesError && { lastError: this.filesError }) },
    };
  }
}
