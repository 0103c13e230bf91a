// Reading filters: a threshold keeps readings inside [min, max]; a deadband passes a
// reading only when it moved at least `delta` from the last one it passed (per series).
import type { FilterSpec } from './contract.js';

export interface ReadingFilter {
  readonly kind: FilterSpec['kind'];
  /** Readings held back so far. */
  held: number;
  /** True when the reading of `series` (device + sensor) goes on. */
  pass(series: string, value: number): boolean;
}

export class ThresholdFilter implements ReadingFilter {
  readonly kind = 'threshold' as const;
  held = 0;
  constructor(
    private readonly min = -Infinity,
    private readonly max = Infinity,
  ) {}

  pass(_series: string, value: number): boolean {
    if (value >= this.min && value <= this.max) return true;
    this.held++;
    return false;
  }
}

export class DeadbandFilter implements ReadingFilter {
  readonly kind = 'deadband' as const;
  held = 0;
  /** Last passed value per series; bounded by the node's maxSeries (checked on intake). */
  private readonly last = new Map<string, number>();
  constructor(private readonly delta: number) {}

  pass(series: string, value: number): boolean {
    const previous = this.last.get(series);
    if (previous === undefined || Math.abs(value - previous) >= this.delta) {
      this.last.set(series, value);
      return true;
    }
    this.held++;
    return false;
  }
}

export function createFilter(spec: FilterSpec): ReadingFilter {
  return spec.kind === 'threshold' ? new ThresholdFilter(spec.min, spec.max) : new DeadbandFilter(spec.delta);
}
