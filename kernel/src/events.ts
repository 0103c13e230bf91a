// The one stream of domain events, typed through `EventMap` (extended by declaration
// merging, as `Services` is), with a bounded buffer of recent events for the admin API.
import type { Clock } from './clock/types.js';
import { RingBuffer } from './ring-buffer.js';

/**
 * Every event type and its payload. Each plugin declares its own in its contract file:
 *
 *   declare module '@understudy/kernel' { interface EventMap { 'device.connected': { deviceId: string } } }
 */
export interface EventMap {
  'kernel.started': { url: string | undefined; plugins: string[] };
  'kernel.stopping': Record<string, never>;
}

export type EventType = keyof EventMap & string;

/** One event; without a type argument, the union of every declared event (narrow on `type`). */
export type UnderstudyEvent<K extends EventType = EventType> = {
  [P in K]: {
    type: P;
    /** Kernel clock time in ms since the epoch. */
    at: number;
    /** Plugin (or `kernel`) that emitted it. */
    source: string;
    data: EventMap[P];
  };
}[K];

export type EventListener<K extends EventType = EventType> = (event: UnderstudyEvent<K>) => void;

/** Emit, subscribe and read recent events (a plugin's view stamps events with its name). */
export interface EventStream {
  subscribe(listener: EventListener): () => void;
  subscribe<K extends EventType>(type: K, listener: EventListener<K>): () => void;
  recent(): UnderstudyEvent[];
  recent<K extends EventType>(type: K): UnderstudyEvent<K>[];
}

/** What a plugin sees: events it emits are stamped with its name. */
export interface PluginEvents extends EventStream {
  emit<K extends EventType>(type: K, data: EventMap[K]): UnderstudyEvent<K>;
}

/** An event's size as its JSON length; one that cannot be serialized (a cycle, a BigInt) weighs its type. */
function sizeOfEvent(event: UnderstudyEvent): number {
  try {
    return JSON.stringify(event).length;
  } catch {
    return event.type.length;
  }
}

/**
 * The event bus: keeps a bounded buffer of recent events (overflow counted, never a
 * crash) and calls listeners synchronously, in subscription order.
 */
export class EventBus implements EventStream {
  private readonly recentEvents: RingBuffer<UnderstudyEvent>;
  private readonly listeners = new Set<EventListener>();

  /**
   * `capacity` events and at most `maxBytes` of them, each weighed by its JSON length
   * (measured once, when emitted: a count alone let events carrying bodies hold any amount).
   */
  constructor(
    private readonly clock: Clock,
    capacity: number,
    maxBytes = Infinity,
  ) {
    this.recentEvents = new RingBuffer(capacity, Number.isFinite(maxBytes) ? { maxBytes, sizeOf: sizeOfEvent } : {});
  }

  /** Events dropped from the recent buffer because it was full (by count or by bytes). */
  get dropped(): number {
    return this.recentEvents.dropped;
  }

  /** Estimated bytes the recent buffer holds. */
  get bytes(): number {
    return this.recentEvents.bytes;
  }

  emit<K extends EventType>(source: string, type: K, data: EventMap[K]): UnderstudyEvent<K> {
    const event = { type, at: this.clock.now(), source, data } as UnderstudyEvent<K>;
    this.recentEvents.push(event as UnderstudyEvent);
    for (const listener of this.listeners) listener(event as UnderstudyEvent);
    return event;
  }

  subscribe(listener: EventListener): () => void;
  subscribe<K extends EventType>(type: K, listener: EventListener<K>): () => void;
  subscribe(typeOrListener: string | EventListener, maybe?: EventListener): () => void {
    const listener: EventListener =
      typeof typeOrListener === 'string' ? (e) => e.type === typeOrListener && maybe!(e) : typeOrListener;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  recent(): UnderstudyEvent[];
  recent<K extends EventType>(type: K): UnderstudyEvent<K>[];
  recent(type?: string): UnderstudyEvent[] {
    const events = this.recentEvents.toArray();
    return type ? events.filter((e) => e.type === type) : events;
  }

  /** The view a plugin gets: the same stream, its events stamped with its name. */
  forPlugin(name: string): PluginEvents {
    return {
      emit: (type, data) => this.emit(name, type, data),
      subscribe: ((a: never, b?: never) => this.subscribe(a, b as never)) as PluginEvents['subscribe'],
      recent: ((type?: never) => (type ? this.recent(type) : this.recent())) as PluginEvents['recent'],
    };
  }
}
