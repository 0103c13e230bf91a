// The traffic plugin's contract: the `traffic` service (load patterns at entry points on
// the kernel clock, propagated through the mesh's call graph), the events it emits, and
// their declaration in the kernel's Services and EventMap. Other plugins import these
// types only: the cluster's load model reads `rates()` every tick.

export type PatternShape =
  | { kind: 'constant'; rps: number }
  /** A day-long cycle: `min` at `troughHour`, `max` twelve hours later (a cosine). */
  | { kind: 'diurnal'; min: number; max: number; periodSeconds?: number; troughHour?: number }
  | { kind: 'ramp'; from: number; to: number; durationSeconds: number }
  /** `rps` until `atSeconds`, then `rps × factor` (e.g. a 3× spike), back after `durationSeconds` when given. */
  | { kind: 'step'; rps: number; factor: number; atSeconds: number; durationSeconds?: number }
  /** `rps`, plus bursts of `burstRps` lasting `burstSeconds`, on average every `everySeconds` (seeded). */
  | { kind: 'bursts'; rps: number; burstRps: number; burstSeconds: number; everySeconds: number }
  /** A recorded series: CSV `seconds,rps` (or `timestamp,rps`), linear between points, looped when `loop`. */
  | { kind: 'replay'; csv?: string; file?: string; loop?: boolean; scale?: number };

export interface PatternSpec {
  /** Entry point: a mesh service. */
  service: string;
  /** Endpoint keys with weights (`{ "GET /products": 3, "POST /orders": 1 }`); default: every endpoint evenly. */
  mix?: Record<string, number>;
  shape: PatternShape;
  /** Multiplies the shape (run-time knob). */
  scale?: number;
  /** Seeded noise: relative standard deviation per second (default 0). */
  jitter?: number;
}

export interface PatternStatus {
  id: string;
  spec: PatternSpec;
  running: boolean;
  /** When it started (its t = 0). */
  startedAt?: number;
  /** Its rate now, requests/s at its entry point. */
  rps: number;
  /** Real exchanges it has sent through the pipeline (the sample). */
  sampled: number;
}

export interface TrafficRates {
  at: number;
  /** Requests/s arriving at each service, entry traffic plus every call it causes. */
  services: ReadonlyMap<string, number>;
  /** The same by endpoint: service → endpoint key → requests/s. */
  endpoints: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface Traffic {
  patterns(): PatternStatus[];
  pattern(id: string): PatternStatus;
  /** Validates (US_TRAFFIC_INVALID_PATTERN with every problem) before anything changes. */
  add(spec: unknown, options?: { id?: string; start?: boolean }): PatternStatus;
  update(id: string, changes: unknown): PatternStatus;
  remove(id: string): void;
  start(id?: string): void;
  stop(id?: string): void;
  /** Rates at `at` (default now), propagated through the call graph. */
  rates(at?: number): TrafficRates;
}

export interface TrafficPatternEvent {
  id: string;
  service: string;
  kind: PatternShape['kind'];
  source: string;
}

declare module '@understudy/kernel' {
  interface Services {
    traffic: Traffic;
  }
  interface EventMap {
    'traffic.started': TrafficPatternEvent;
    'traffic.stopped': TrafficPatternEvent;
    'traffic.changed': TrafficPatternEvent;
  }
}
