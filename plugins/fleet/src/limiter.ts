// At most `concurrency` tasks in flight (MQTT connects): thousands of devices connecting
// at once would open thousands of sockets in the same tick and time out together.
// p-limit would do, but it is not a dependency of this package; this is a dozen lines.

export class Limiter {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private head = 0;

  constructor(private readonly concurrency: number) {}

  get pending(): number {
    return this.queue.length - this.head + this.active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) {
      await new Promise<void>((resolve) => this.queue.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    if (this.head < this.queue.length) {
      // the slot passes straight to the next task: `active` stays the same
      const next = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue.splice(0, this.head);
        this.head = 0;
      }
      next();
    } else {
      this.active--;
    }
  }
}
