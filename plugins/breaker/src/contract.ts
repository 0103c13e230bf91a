// The breaker plugin's contract: the `breakers` service and the data it shows, the events
// breakers and outlier ejection emit, and their declaration in the kernel's Services and
// EventMap. Other plugins (chaos's experiment reports) import these types only.
import type { Breakers } from './breakers.js';
import type { BreakerState } from './state-machine.js';

export type { Breakers, BreakerTag, BreakerView } from './breakers.js';
export type { EjectedInstance } from './outliers.js';
export type { BreakerConfig, BreakerMetrics, BreakerState, Outcome, Transition } from './state-machine.js';

/** A breaker changed state (the event's type names the state it entered). */
export interface BreakerTransitionEvent {
  key: string;
  /** `null` for a call from outside the mesh. */
  caller: string | null;
  service: string;
  endpoint: string;
  /** With `perInstance`. */
  instance?: string;
  from: BreakerState;
  to: BreakerState;
  /** Percent; -1 below minimumNumberOfCalls. */
  failureRate: number;
  slowCallRate: number;
  reason: string;
}

/** The event of each state a breaker can enter. */
export type BreakerTransitionEventType = 'breaker.opened' | 'breaker.halfOpened' | 'breaker.closed' | 'breaker.forcedOpen' | 'breaker.disabled';

export interface BreakerFlappingEvent {
  key: string;
  caller: string | null;
  service: string;
  endpoint: string;
  /** Transitions to OPEN within the window. */
  transitions: number;
  windowMs: number;
  reason: string;
}

export interface InstanceEjectedEvent {
  service: string;
  instance: string;
  consecutive5xx: number;
  /** Times this instance has been ejected, this one included. */
  ejections: number;
  ejectionMs: number;
  /** Kernel clock time it returns at. */
  returnsAt: number;
}

export interface InstanceReturnedEvent {
  service: string;
  instance: string;
  ejections: number;
}

declare module '@understudy/kernel' {
  interface Services {
    breakers: Breakers;
  }
  interface EventMap {
    'breaker.opened': BreakerTransitionEvent;
    'breaker.halfOpened': BreakerTransitionEvent;
    'breaker.closed': BreakerTransitionEvent;
    'breaker.forcedOpen': BreakerTransitionEvent;
    'breaker.disabled': BreakerTransitionEvent;
    'breaker.flapping': BreakerFlappingEvent;
    'breaker.instanceEjected': InstanceEjectedEvent;
    'breaker.instanceReturned': InstanceReturnedEvent;
  }
}
