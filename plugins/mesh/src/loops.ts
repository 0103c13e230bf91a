// The repeating part of a call chain that hit the hop limit.

/** `["gw", "a", "b", "a", "b", …]` → `["a", "b", "a"]`: from a service's first visit to its next. */
export function loopOf(path: string[]): string[] {
  const first = new Map<string, number>();
  for (let i = 0; i < path.length; i++) {
    const seen = first.get(path[i]);
    if (seen !== undefined) return path.slice(seen, i + 1);
    first.set(path[i], i);
  }
  return path;
}
