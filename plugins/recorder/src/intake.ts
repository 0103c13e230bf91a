// Events reach the recorder off the serving path. The kernel calls listeners synchronously
// inside `emit`, and a configured event type may be emitted while a request is served; so
// the listener only checks the type (a Set lookup) and queues the event, and the queue is
// drained on the next turn of the event loop (setImmediate: an event-loop turn, not a
// timer — marker times come from the event's own `at`, so the outcome does not depend on
// when the drain runs). Reads of the store flush the queue first, so they always see every
// event emitted before them. The queue is bounded; overflow is counted.
import type { UnderstudyEvent } from '@understudy/plugin-sdk';

export class Intake {
  private pending: UnderstudyEvent[] = [];
  private scheduled = false;
  /** Events refused because the queue was full. */
  dropped = 0;

  constructor(
    private readonly max: number,
    private readonly handle: (event: UnderstudyEvent) => void,
  ) {}

  push(event: UnderstudyEvent): void {
    if (this.pending.length >= this.max) {
      this.dropped++;
      return;
    }
    this.pending.push(event);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Handle every queued event now, in order. */
  flush(): void {
    this.scheduled = false;
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      for (const event of batch) this.handle(event);
    }
  }
}
