/**
 * Wait until `condition` holds, for things that happen on real sockets (an MQTT message
 * arriving, a client reconnecting) rather than on the kernel clock. Polls every turn of
 * the event loop; fails with `what` after `withinMs` of real time, so a broken test
 * fails instead of hanging. Not a sleep: it returns as soon as the condition holds.
 */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  what = 'condition',
  withinMs = 5000,
): Promise<NonNullable<T>> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const value = await condition();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`waitFor: ${what} did not happen within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
