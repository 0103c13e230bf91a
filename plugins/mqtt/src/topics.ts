// MQTT topic names and filters (MQTT 3.1.1 §4.7): validation and matching, for ACLs
// and the HTTP bridge. aedes matches subscriptions itself; these answer "may this
// client use this topic or filter", which aedes leaves to its authorize hooks.

/** Why `topic` cannot be published to, or undefined when it can. */
export function topicProblem(topic: string): string | undefined {
  if (topic.length === 0) return 'it is empty';
  if (topic.includes('+') || topic.includes('#')) return 'wildcards are only allowed in subscriptions';
  if (topic.includes('\u0000')) return 'it contains a NUL character';
  return undefined;
}

/** True when `filter` is a valid subscription filter. */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  return levels.every((level, i) => {
    if (level === '#') return i === levels.length - 1;
    return level === '+' || !(level.includes('+') || level.includes('#'));
  });
}

/** True when a message on `topic` is delivered to a subscription on `filter`. */
export function topicMatches(filter: string, topic: string): boolean {
  // [MQTT-4.7.2-1] filters starting with a wildcard do not match $-topics
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/**
 * True when every topic `requested` can match is also matched by `allowed` — the ACL
 * question for a subscription (`devices/d1/#` covers `devices/d1/commands/+`, but not
 * `devices/+/commands/+`).
 */
export function filterCovers(allowed: string, requested: string): boolean {
  const a = allowed.split('/');
  const r = requested.split('/');
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '#') return true;
    if (i >= r.length) return false;
    if (r[i] === '#') return false;
    if (a[i] === '+') continue;
    if (r[i] === '+' || a[i] !== r[i]) return false;
  }
  return a.length === r.length;
}

/** True when `value` can stand for one whole topic level (a client id in `devices/{id}/#`). */
export function isSafeLevel(value: string | undefined): value is string {
  return value !== undefined && value.length > 0 && !/[/+#\u0000]/.test(value);
}

/**
 * `topicMatches(filter, ·)` as a function made once per filter: a filter without `+` is a
 * string comparison (`devices/d1/#` is "devices/d1" or a topic under it), which is what an
 * ACL rule bound to one client almost always is — checked on every publish.
 */
export function compileMatcher(filter: string): (topic: string) => boolean {
  const levels = filter.split('/');
  if (levels.includes('+')) return (topic) => topicMatches(filter, topic);
  if (levels.at(-1) !== '#') return (topic) => topic === filter;
  if (levels.length === 1) return (topic) => !topic.startsWith('$'); // [MQTT-4.7.2-1]
  const parent = levels.slice(0, -1).join('/');
  const under = `${parent}/`;
  return (topic) => topic === parent || topic.startsWith(under);
}
