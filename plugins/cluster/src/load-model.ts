// The load model's formulas, one service (or one version group of it) at a time. Pure
// functions writing into a caller's reusable result object, so a tick over 10,000
// instances allocates nothing here. cluster.ts calls them once per service and version
// per tick, then `loadInstances` once per workload copies the results onto its instances
// in one tight loop (here, so the per-instance formulas are plain calls within this module:
// under a CommonJS transpile every imported call is a property getter).
//
// One instance is an M/M/c queue: c = capacity.concurrency servers, mean service time
// S = capacity.serviceTimeMs × latencyFactor, arrivals λ (requests/s; the service's
// admitted demand split over its versions by the deployment's traffic weights, or by their
// Ready instances when none are set, then evenly over each version's Ready instances).
//
//   utilisation      ρ  = λ·S / (1000·c)
//   P(wait)          Pw ≈ ρ^(√(2(c+1)) − 1)                       (Sakasegawa, 1977)
//   mean wait        Wq ≈ S·Pw / (c·(1 − ρ))                        for ρ < 1, capped at the queue timeout
//   mean response    W  = S + Wq
//   p99 of the wait  P(Wq > t) ≈ Pw·e^(−c(1−ρ)t/S)  ⇒  t99 = S·ln(Pw/0.01) / (c(1−ρ))   (0 when Pw ≤ 1 %)
//   p99 response     ≈ S·ln(100) + t99   (exponential service time; the sum of the two p99s, an upper bound)
//   overload (ρ ≥ 1) the excess fails: failShare = 1 − 1/ρ; the rest waits the queue timeout
//   in flight        L  = λ·(1 − failShare)·W / 1000               (Little's law)
//   CPU              limits.cpu × min(ρ, 1)                        (busy share of its servers)
//   memory           memory.baseMiB + memory.perInflightMiB × L + leakMiBPerHour × hours running
import type { Instance, Workload } from './model.js';

export interface QueueResult {
  utilisation: number;
  /** Mean queueing delay in ms (what a real request sleeps at the instance). */
  waitMs: number;
  /** Mean response time in ms (service + queueing). */
  latencyMs: number;
  p99Ms: number;
  /** Share of arrivals failing because the instance is saturated. */
  failShare: number;
  /** Requests in flight at once (Little's law). */
  inflight: number;
}

export const newQueueResult = (): QueueResult => ({ utilisation: 0, waitMs: 0, latencyMs: 0, p99Ms: 0, failShare: 0, inflight: 0 });

const LN100 = Math.log(100);

/** The M/M/c model of one instance, written into `out` (and returned). */
export function queue(out: QueueResult, lambda: number, servers: number, serviceMs: number, timeoutMs: number): QueueResult {
  const rho = lambda > 0 ? (lambda * serviceMs) / (1000 * servers) : 0;
  out.utilisation = rho;
  if (rho <= 0) {
    waiting(out, serviceMs, 0, 0, 0);
    out.inflight = 0;
    return out;
  }
  if (rho < 1) {
    const pWait = Math.pow(rho, Math.sqrt(2 * (servers + 1)) - 1);
    const drain = servers * (1 - rho);
    const wait = Math.min((serviceMs * pWait) / drain, timeoutMs);
    const tail = pWait > 0.01 ? Math.min((serviceMs * Math.log(pWait / 0.01)) / drain, timeoutMs) : 0;
    waiting(out, serviceMs, wait, tail, 0);
  } else waiting(out, serviceMs, timeoutMs, timeoutMs, 1 - 1 / rho);
  out.inflight = (lambda * (1 - out.failShare) * out.latencyMs) / 1000;
  return out;
}

/** The queue's wait (mean `waitMs`, p99 `tailMs`) on top of the service time, and the share that fails. */
function waiting(out: QueueResult, serviceMs: number, waitMs: number, tailMs: number, failShare: number): void {
  out.waitMs = waitMs;
  out.failShare = failShare;
  out.latencyMs = serviceMs + waitMs;
  out.p99Ms = serviceMs * LN100 + tailMs;
}

/** Memory of one running instance in MiB. */
export function memoryMiB(baseMiB: number, perInflightMiB: number, inflight: number, leakMiBPerHour: number, runningMs: number): number {
  return baseMiB + perInflightMiB * inflight + (leakMiBPerHour * runningMs) / 3_600_000;
}

/** CPU of one running instance in millicores. */
export function cpuMillis(limitCpu: number, utilisation: number): number {
  return limitCpu * (utilisation < 1 ? utilisation : 1);
}

/** Errors of independent causes combined: 1 − Π(1 − eᵢ). */
export function combine(a: number, b: number): number {
  return 1 - (1 - a) * (1 - b);
}

/**
 * One tick's load on every instance of a workload: Ready instances get their version
 * group's queue (arrivals `g.perInstance`, errors combined with `depErr`, the dependencies'),
 * Starting / NotReady / Terminating ones no requests but their base memory, stopped ones
 * nothing. Adds CPU and memory to the instance's node; instances over their memory limit
 * whose process is up are pushed onto `oom`.
 */
export function loadInstances(wl: Workload, depErr: number, now: number, oom: Instance[]): void {
  const { baseMiB, perInflightMiB } = wl.spec.memory;
  const limitMem = wl.spec.resources.limits.memory;
  const limitCpu = wl.spec.resources.limits.cpu;
  for (const inst of wl.instances) {
    const load = inst.load;
    const state = inst.state;
    if (state !== 'Ready' && state !== 'Starting' && state !== 'NotReady' && state !== 'Terminating') {
      unloaded(inst);
      load.cpu = 0;
      load.memoryMiB = 0;
      continue;
    }
    const g = wl.groupOf(inst);
    let inflight = 0;
    if (state === 'Ready') {
      const q = g.q;
      load.arrivalRate = g.perInstance;
      load.utilisation = q.utilisation;
      load.latencyMs = q.latencyMs;
      load.errorRate = combine(g.error, depErr);
      inst.waitMs = q.waitMs;
      inst.failShare = q.failShare;
      inst.appError = g.errorRate;
      inflight = q.inflight;
    } else unloaded(inst);
    load.cpu = cpuMillis(limitCpu, load.utilisation);
    load.memoryMiB = memoryMiB(baseMiB, perInflightMiB, inflight, g.leakMiBPerHour, now - (inst.startedAt ?? now));
    if (load.memoryMiB > limitMem && inst.process.up) oom.push(inst);
    const node = inst.nodeRef;
    if (node) {
      node.usage.cpu += load.cpu;
      node.usage.memory += load.memoryMiB;
    }
  }
}

/** No requests reach the instance: no arrivals, utilisation, latency, errors or queueing (CPU and memory are the caller's). */
function unloaded(inst: Instance): void {
  const load = inst.load;
  load.arrivalRate = 0;
  load.utilisation = 0;
  load.latencyMs = 0;
  load.errorRate = 0;
  inst.waitMs = 0;
  inst.failShare = 0;
}
