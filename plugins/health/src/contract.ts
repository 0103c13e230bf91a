// The health plugin's contract: the `health` service (probe results, dependency-aware
// service status, incidents with their timelines, the recovery policy), the events it
// emits, and their declaration in the kernel's Services and EventMap. Other plugins import
// these types only (observability turns them into metrics and logs; autoscale answers
// the planner's requests for replicas in the next issue).

export type ServiceStatus = 'healthy' | 'degraded' | 'unhealthy';
export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type RecoveryPolicy = 'planner' | 'backoff';

export interface ServiceSlo {
  /** Highest acceptable error ratio (0..1), e.g. 0.01. */
  errorRate: number;
  /** Latency objective: p99 in ms. */
  p99Ms: number;
}

export interface DependencyHealth {
  service: string;
  critical: boolean;
  status: ServiceStatus;
}

export interface ServiceHealth {
  service: string;
  status: ServiceStatus;
  /** Why, in words, one line each (`2/3 instances Ready`, `critical dependency db is unhealthy`, `error rate 4.2% > SLO 1%`). */
  reasons: string[];
  ready: number;
  desired: number;
  errorRate: number;
  p99Ms: number;
  slo: ServiceSlo;
  dependencies: DependencyHealth[];
  since: number;
}

export interface ProbeResultView {
  instance: string;
  probe: ProbeKind;
  ok: boolean;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  at: number;
  message: string;
}

export type TimelineKind = 'detected' | 'action' | 'recovered' | 'note';

export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  /** `restart`, `hold`, `admit`, `reschedule`, `drain`, `shed`, `openBreaker`, `requestReplicas`, … */
  action?: string;
  target?: string;
  message: string;
}

export interface Incident {
  id: string;
  /** What went wrong: `instancesDown`, `nodeFailed`, `degraded`, `unhealthy`, `staleReads`, … */
  kind: string;
  services: string[];
  openedAt: number;
  resolvedAt?: number;
  /** Time to recovery in ms, once resolved. */
  ttrMs?: number;
  status: 'open' | 'resolved';
  timeline: TimelineEntry[];
  /** Timeline entries dropped past the timeline's bound (the first entry is always kept). */
  droppedEntries?: number;
}

export interface HealthService {
  readonly policy: RecoveryPolicy;
  services(): ServiceHealth[];
  service(name: string): ServiceHealth;
  probes(instance?: string): ProbeResultView[];
  incidents(filter?: { status?: 'open' | 'resolved'; service?: string }): Incident[];
  incident(id: string): Incident;
  /** Counters for metrics: probe results by kind and outcome, restarts, incidents. */
  counters(): HealthCounters;
}

export interface HealthCounters {
  probes: Record<ProbeKind, { passed: number; failed: number }>;
  restarts: number;
  incidentsOpened: number;
  incidentsResolved: number;
  /** Times to recovery of resolved incidents, ms (most recent last, bounded). */
  recoveryTimesMs: number[];
  /** Incidents dropped from the bounded store (oldest resolved first). */
  incidentsDropped?: number;
  /** Actions taken, by action (`restart`, `hold`, `shed`, …). */
  actions?: Record<string, number>;
}

export interface HealthStatusEvent {
  service: string;
  from: ServiceStatus;
  to: ServiceStatus;
  reasons: string[];
}

export interface HealthIncidentEvent {
  incidentId: string;
  kind: string;
  services: string[];
  ttrMs?: number;
}

export interface HealthActionEvent {
  incidentId?: string;
  action: string;
  target: string;
  message: string;
  /** requestReplicas: the replicas the service needs in all (not the increase); autoscale answers it. */
  replicas?: number;
}

export interface HealthProbeEvent {
  instance: string;
  service: string;
  probe: ProbeKind;
  /** Passing → failing or back (threshold crossed), never every probe. */
  ok: boolean;
  message: string;
}

declare module '@understudy/kernel' {
  interface Services {
    health: HealthService;
  }
  interface EventMap {
    'health.statusChanged': HealthStatusEvent;
    'health.incidentOpened': HealthIncidentEvent;
    'health.incidentResolved': HealthIncidentEvent;
    'health.action': HealthActionEvent;
    'health.probeChanged': HealthProbeEvent;
  }
}
