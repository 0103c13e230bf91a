// Observed usage per workload, for right-sizing (cost.ts `rightSize`): every sampleSeconds the
// CPU (millicores) and memory (MiB) of each Ready instance, from the cluster's load model. One
// fixed-size ring of numbers per workload and resource (typed arrays: no allocation per
// sample), so memory is bounded by `samples` × workloads whatever the run's length; what the
// ring pushes out is counted.

export class SampleRing {
  private readonly values: Float64Array;
  private start = 0;
  private size = 0;
  dropped = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(v: number): void {
    if (this.size === this.capacity) {
      this.values[this.start] = v;
      this.start = (this.start + 1) % this.capacity;
      this.dropped++;
      return;
    }
    this.values[(this.start + this.size++) % this.capacity] = v;
  }

  /** Oldest first. */
  toArray(): Float64Array {
    const out = new Float64Array(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.values[(this.start + i) % this.capacity]!;
    return out;
  }
}

export interface UsageView {
  cpu: Float64Array;
  memory: Float64Array;
  dropped: number;
}

/** Usage samples of every workload. */
export class UsageSamples {
  private readonly byWorkload = new Map<string, { cpu: SampleRing; memory: SampleRing }>();

  constructor(private readonly capacity: number) {}

  add(workload: string, cpu: number, memoryMiB: number): void {
    let w = this.byWorkload.get(workload);
    if (!w) this.byWorkload.set(workload, (w = { cpu: new SampleRing(this.capacity), memory: new SampleRing(this.capacity) }));
    w.cpu.push(cpu);
    w.memory.push(memoryMiB);
  }

  of(workload: string): UsageView {
    const w = this.byWorkload.get(workload);
    if (!w) return { cpu: new Float64Array(0), memory: new Float64Array(0), dropped: 0 };
    return { cpu: w.cpu.toArray(), memory: w.memory.toArray(), dropped: w.cpu.dropped };
  }

  /** Forget a workload the cluster no longer has. */
  forget(workload: string): void {
    this.byWorkload.delete(workload);
  }
}
