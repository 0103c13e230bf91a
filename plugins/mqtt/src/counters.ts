// Message and connection counters, with per-second rates on the kernel clock.
import type { Clock } from '@understudy/plugin-sdk';
import type { BrokerCounters } from './contract.js';

export class Counters {
  messagesIn = 0;
  messagesOut = 0;
  dropped = 0;
  refusedConnections = 0;
  clientErrors = 0;
  oversizedPackets = 0;
  #inPerSecond = 0;
  #outPerSecond = 0;
  #lastIn = 0;
  #lastOut = 0;
  readonly #timer;

  constructor(private readonly clock: Clock) {
    this.#timer = clock.setInterval(() => this.#tick(), 1000);
  }

  #tick(): void {
    this.#inPerSecond = this.messagesIn - this.#lastIn;
    this.#outPerSecond = this.messagesOut - this.#lastOut;
    this.#lastIn = this.messagesIn;
    this.#lastOut = this.messagesOut;
  }

  snapshot(clients: number): BrokerCounters {
    return {
      clients,
      messagesIn: this.messagesIn,
      messagesOut: this.messagesOut,
      messagesInPerSecond: this.#inPerSecond,
      messagesOutPerSecond: this.#outPerSecond,
      dropped: this.dropped,
      refusedConnections: this.refusedConnections,
      clientErrors: this.clientErrors,
      oversizedPackets: this.oversizedPackets,
    };
  }

  stop(): void {
    this.clock.clearInterval(this.#timer);
  }
}
