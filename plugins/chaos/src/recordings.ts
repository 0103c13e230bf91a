// What failed while a scenario or experiment ran, from `settled`: failing services and
// the caller → service calls that failed (the propagation path of a cascade). A call
// failed when its caller did not get what it asked for (the SDK's respondedWithError:
// any 4xx or 5xx, a broken connection, no response), as mesh's call policies see it.
import { respondedWithError, type Exchange } from '@understudy/plugin-sdk';

export interface Edge {
  caller: string;
  service: string;
  failures: number;
}

export class Recording {
  readonly failing = new Map<string, number>();
  readonly edges = new Map<string, Edge>();

  record(ex: Exchange): void {
    if (!ex.service || !respondedWithError(ex)) return;
    this.failing.set(ex.service, (this.failing.get(ex.service) ?? 0) + 1);
    const caller = ex.context.caller;
    if (caller === undefined) return;
    const key = `${caller}\u0000${ex.service}`;
    const edge = this.edges.get(key);
    if (edge) edge.failures++;
    else this.edges.set(key, { caller, service: ex.service, failures: 1 });
  }

  failingServices(): Record<string, number> {
    return Object.fromEntries([...this.failing].sort(([a], [b]) => a.localeCompare(b)));
  }

  edgeList(): Edge[] {
    return [...this.edges.values()].sort((a, b) => a.caller.localeCompare(b.caller) || a.service.localeCompare(b.service));
  }

  /**
   * Paths (top caller first, `leaf` last) along which a failure of `leaf` propagated:
   * a caller is on a path when its call failed and it failed itself.
   */
  propagation(leaf: string): string[][] {
    const paths: string[][] = [];
    const walk = (node: string, below: string[]) => {
      const callers = this.edgeList().filter((e) => e.service === node && this.failing.has(e.caller) && !below.includes(e.caller));
      if (callers.length === 0) {
        paths.push([node, ...below]);
        return;
      }
      for (const e of callers) walk(e.caller, [node, ...below]);
    };
    walk(leaf, []);
    return paths;
  }
}

/** Recordings in progress; `settled` feeds each of them. */
export class Observer {
  private readonly active = new Set<Recording>();

  start(): Recording {
    const r = new Recording();
    this.active.add(r);
    return r;
  }

  stop(r: Recording): void {
    this.active.delete(r);
  }

  settled(ex: Exchange): void {
    // runs for every exchange, and usually nothing is recording: no iterator for an empty set
    if (this.active.size === 0) return;
    for (const r of this.active) r.record(ex);
  }
}
