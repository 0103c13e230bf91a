// The rules of the `exchange` and `settled` hooks, and the runner the dispatcher uses.
//
// The dispatcher walks `hook.taps` and calls each tap itself rather than tapable's
// compiled `hook.promise(arg)`: that made, on every call, a promise, a closure per
// remaining step and, for every `tapPromise` tap, a `.then` with two more closures. At
// twelve exchanges per gateway request that was about a fifth of all allocation. Here a
// sync tap costs a plain call and a promise tap one `await`.
//
// This reads tapable's private tap records (`taps`, each `{ name, type, fn, stage,
// before }`), so tapable is pinned to an exact version and `checkTapShape` (tested in
// kernel/test/taps.test.ts) fails loudly if a new tapable changes them. Because the
// kernel runs these hooks, tapable's call interceptors would never be called: adding one
// is refused (register interceptors, which act when a tap is made, are fine).
import { KernelErrors } from '../errors/index.js';
import { Stage } from '../hooks.js';

/** What tapable keeps per tap (its typings leave `fn` and `type` out). */
export interface RunnableTap {
  name: string;
  type: 'sync' | 'async' | 'promise';
  fn: (...args: never[]) => unknown;
  stage?: number;
  before?: string | string[];
  after?: string | string[];
}

interface TapableHook {
  taps: RunnableTap[];
  intercept(interceptor: object): void;
  /** tapable's own field; reset so a later `hook.promise()` would compile the new order. */
  _resetCompilation?(): void;
}

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : v);

/** Throws if tapable no longer keeps taps as this runner reads them. */
export function checkTapShape(hook: object): void {
  const taps = (hook as Partial<TapableHook>).taps;
  if (!Array.isArray(taps)) throw new Error('tapable changed: hooks no longer keep their taps in `taps`; see kernel/src/exchange/taps.ts');
  for (const tap of taps as Partial<RunnableTap>[]) {
    if (typeof tap.name !== 'string' || typeof tap.fn !== 'function' || !['sync', 'async', 'promise'].includes(tap.type as string)) {
      throw new Error('tapable changed: a tap is no longer { name, type, fn, stage }; see kernel/src/exchange/taps.ts');
    }
  }
}

/** Refuse call-time interceptors on a hook the dispatcher runs (they would silently never run). */
export function refuseCallInterceptors(hook: object, hookName: string): void {
  const h = hook as TapableHook;
  const intercept = h.intercept.bind(h);
  h.intercept = (interceptor: Record<string, unknown>) => {
    const acting = ['call', 'tap', 'loop', 'result', 'error', 'done', 'context'].some((k) => interceptor[k] !== undefined);
    if (acting) throw new KernelErrors.INTERCEPTOR_REFUSED(hookName);
    intercept(interceptor);
  };
}

/**
 * Put the `exchange` taps in the kernel's order: by stage, and within a stage by
 * `before`/`after`. Two taps at one stage that do not order themselves against each
 * other are a startup error naming both.
 */
export function orderStagedTaps(hook: object, hookName: string): void {
  const h = hook as TapableHook;
  const byStage = new Map<number, RunnableTap[]>();
  for (const tap of h.taps) {
    const stage = tap.stage ?? 0;
    byStage.get(stage)?.push(tap) ?? byStage.set(stage, [tap]);
  }
  const ordered: RunnableTap[] = [];
  for (const stage of [...byStage.keys()].sort((a, b) => a - b)) ordered.push(...orderWithinStage(byStage.get(stage)!, hookName, stage));
  h.taps.splice(0, h.taps.length, ...ordered);
  h._resetCompilation?.();
}

/** A topological order by before/after that must be the only one (else the order is a guess). */
function orderWithinStage(taps: RunnableTap[], hookName: string, stage: number): RunnableTap[] {
  if (taps.length === 1) return taps;
  const firsts = new Map<RunnableTap, Set<RunnableTap>>(taps.map((t) => [t, new Set()])); // tap → taps that must run before it
  for (const tap of taps) {
    for (const other of taps) {
      if (other === tap) continue;
      if (asList(tap.before).includes(other.name)) firsts.get(other)!.add(tap);
      if (asList(tap.after).includes(other.name)) firsts.get(tap)!.add(other);
    }
  }
  const out: RunnableTap[] = [];
  const left = new Set(taps);
  while (left.size) {
    const free = [...left].filter((t) => [...firsts.get(t)!].every((f) => !left.has(f)));
    if (free.length !== 1) {
      const unordered = free.length ? free : [...left];
      throw new KernelErrors.STAGE_CONFLICT(hookName, stage, unordered.map((t) => t.name));
    }
    out.push(free[0]!);
    left.delete(free[0]!);
  }
  return out;
}

/**
 * Call a `tapPromise` or `tapAsync` tap (the caller calls a sync tap directly): the
 * promise of its result; tapable's error for a `tapPromise` tap that returns no promise.
 */
export function callAsyncTap(tap: RunnableTap, arg: unknown): Promise<unknown> {
  if (tap.type === 'async') {
    return new Promise((resolve, reject) => {
      (tap.fn as (arg: unknown, done: (err?: unknown, result?: unknown) => void) => void)(arg, (err, result) => (err ? reject(err) : resolve(result)));
    });
  }
  const promise = (tap.fn as (arg: unknown) => Promise<unknown> | undefined)(arg);
  if (!promise || typeof promise.then !== 'function') {
    throw new Error(`Tap function (tapPromise) did not return promise (returned ${String(promise)})`);
  }
  return promise;
}

/** The stage from which taps run even when a response exists (Shape and after). */
export const ALWAYS_RUNS_FROM = Stage.Shape;
