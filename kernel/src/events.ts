import type { KernelHooks } from './hooks.js';
import type { Clock } from './clock/types.js';
import { RingBuffer } from './ring-buffer.js';

export interface UnderstudyEvent<T = unknown> {
  type: string;
  /** Kernel clock time in ms since the epoch. */
  at: number;
  /** Plugin (or `kernel`) that emitted it. */
  source: string;
  data: T;
}

export type EventListener = (event: UnderstudyEvent) => void;

/**
 * The event stream: emit through the `event` hook and keep a bounded buffer of
 * recent events (overflow counted, never a crash).
 */
export class EventBus {
  private readonly recentEvents: RingBuffer<UnderstudyEvent>;
  private readonly listeners = new Set<EventListener>();

  constructor(
    private readonly hooks: KernelHooks,
    private readonly clock: Clock,
    capacity: number,
  ) {
    this.recentEvents = new RingBuffer(capacity);
  }

  /** Events dropped from the recent buffer because it was full. */
  get dropped(): number {
    return this.recentEvents.dropped;
  }

  emit<T>(source: string, type: string, data: T): UnderstudyEvent<T> {
    const event: UnderstudyEvent<T> = { type, at: this.clock.now(), source, data };
    this.recentEvents.push(event);
    this.hooks.event.call(event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /** Subscribe at any time (also after start); returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(type?: string): UnderstudyEvent[] {
    const events = this.recentEvents.toArray();
    return type ? events.filter((e) => e.type === type) : events;
  }
}

/** What a plugin sees: events it emits are stamped with its name. */
export interface PluginEvents {
  emit<T>(type: string, data: T): UnderstudyEvent<T>;
  subscribe(listener: EventListener): () => void;
  recent(type?: string): UnderstudyEvent[];
}
