// The recorder's contract: markers, takes and status as the admin API and the `recorder`
// service show them, the events the recorder emits, and their declaration in the kernel's
// Services and EventMap. Other plugins (the demo preset, benchmarks) import these types only.
import type { Recorder } from './recorder.js';

export type { Recorder } from './recorder.js';

export type MarkerKind = 'step' | 'waypoint' | 'jump' | 'event' | 'annotation';

/** One point of the recording: a chapter in the WebVTT export, a CreateRecordChapter in OBS. */
export interface Marker {
  /** `m-<n>`, in order of recording. */
  id: string;
  kind: MarkerKind;
  /** The chapter title: a waypoint's name, a step id, an event's title, an annotation's text. */
  title: string;
  /** A step's narrative or an annotation's text. */
  text?: string;
  scenario?: string;
  session?: string;
  step?: string;
  waypoint?: string;
  /** Type of the event the marker came from (none for annotations). */
  eventType?: string;
  /** Plugin that emitted the event, or `annotation`. */
  source: string;
  /** Take the marker belongs to (the running one when it was made). */
  take?: string;
  /** Scenario time in ms (from the start of the run), or null outside a scenario. */
  scenarioAt: number | null;
  /** Kernel clock time in ms since the epoch (ISO 8601 in wallTime). */
  wallAt: number;
  wallTime: string;
  /** ms from the start of its take (the position in the video); null outside a take. */
  offsetMs: number | null;
}

export interface Take {
  /** `take-<n>`. */
  id: string;
  /** The scenario run it follows, or null for a take started by hand. */
  scenario: string | null;
  session: string | null;
  startedAt: number;
  endedAt?: number;
  /** `completed`/`stopped` from the scenario, `manual`, or `kernel stopping`. */
  endReason?: string;
  /** What OBS did for this take. */
  obs: { recorded: boolean; chapters: number; chaptersFailed: number; outputPath?: string; error?: string };
  /** Files written when the take ended. */
  files?: { vtt: string; json: string };
}

export type ObsState = 'disabled' | 'connecting' | 'connected' | 'unavailable';

export interface ObsStatus {
  state: ObsState;
  url?: string;
  /** Why OBS is not used (absent, wrong password, a refused request). */
  reason?: string;
  /** Whether OBS is recording now (as far as the recorder asked it to). */
  recording: boolean;
  lastError?: { request?: string; code?: number; message: string; at: number };
  requests: number;
  failures: number;
}

export interface RecorderStatus {
  /** `obs`: OBS records and gets chapters; `files`: the WebVTT and JSON files are the record. */
  mode: 'obs' | 'files';
  /** One sentence saying which, and why. */
  summary: string;
  obs: ObsStatus;
  markers: { count: number; bytes: number; dropped: number; maxMarkers: number; maxBytes: number; pendingDropped: number };
  takes: { count: number; active: string[] };
  files: { enabled: boolean; dir: string; written: number; lastError?: string };
}

/** The fallback to files, announced once per cause. */
export interface RecorderFallbackEvent {
  reason: string;
  url?: string;
  request?: string;
  code?: number;
}

declare module '@understudy/kernel' {
  interface Services {
    recorder: Recorder;
  }
  interface EventMap {
    'recorder.marker': Pick<Marker, 'id' | 'kind' | 'title' | 'take' | 'scenarioAt' | 'wallAt'>;
    'recorder.takeStarted': Pick<Take, 'id' | 'scenario' | 'session' | 'startedAt'>;
    'recorder.takeEnded': Pick<Take, 'id' | 'scenario' | 'session' | 'startedAt' | 'endedAt' | 'endReason'> & { markers: number };
    'recorder.obsConnected': { url: string; obsWebSocketVersion?: string; rpcVersion?: number };
    'recorder.obsFallback': RecorderFallbackEvent;
    'recorder.filesWritten': { take: string; vtt: string; json: string };
  }
}
