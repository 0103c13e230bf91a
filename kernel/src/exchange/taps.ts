// Running the `exchange` and `settled` taps without tapable's per-call machinery.
//
// tapable compiles `hook.promise(arg)` into code that, on every call, creates a promise,
// a closure per remaining step and, for every `tapPromise` tap, a `.then` with two more
// closures and a derived promise. At twelve exchanges per gateway request that was about
// a fifth of all allocation (and so of garbage-collection time). The dispatcher instead
// walks `hook.taps` — already sorted by stage by tapable — and calls each tap itself: a
// sync tap costs a plain call, a promise tap one `await` of the promise it returns.
// The semantics are tapable's (order, waterfall results, errors); a hook with call-time
// interceptors still runs through tapable, which is the only one that knows them.

/** What tapable keeps per tap (its typings leave `fn` and `type` out). */
export interface RunnableTap {
  name: string;
  type: 'sync' | 'async' | 'promise';
  fn: (...args: never[]) => unknown;
}

/** The parts of a tapable interceptor that act on every call (`register` acts when a tap is made). */
interface CallInterceptor {
  call?: unknown;
  tap?: unknown;
  loop?: unknown;
  result?: unknown;
  error?: unknown;
  done?: unknown;
  context?: unknown;
}

/** The hook's taps in order, or undefined when an interceptor acts on calls (then tapable must run it). */
export function plainTaps(hook: { interceptors: readonly object[]; taps: readonly object[] }): readonly RunnableTap[] | undefined {
  const interceptors = hook.interceptors as readonly CallInterceptor[];
  for (let n = 0; n < interceptors.length; n++) {
    const i = interceptors[n]!;
    if (i.call || i.tap || i.loop || i.result || i.error || i.done || i.context) return undefined;
  }
  return hook.taps as readonly RunnableTap[];
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
