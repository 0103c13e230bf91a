// The soak's traffic: what a developer's test suite and dashboards send a mesh preset for
// hours — gateway calls (each a tree of child exchanges through discovery, breakers,
// tracing and chaos), stub calls (matched, unmatched with near misses, small JSON
// bodies and large uploads the journal must cut), and admin reads of the journal and
// the traces. One cycle of CYCLE requests is interleaved evenly and every connection
// loops over it; the stub mappings it calls are added by the soak before the load starts.

export interface MixItem {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  /** How many of each CYCLE requests are this one. */
  weight: number;
  /** The status a healthy server answers. */
  expect: number;
  /** `large`: a body of SOAK_LARGE_BYTES; `json`: a small order. */
  body?: 'large' | 'json';
}

export const CYCLE = 200;

export const MIX: MixItem[] = [
  { kind: 'gateway checkout', method: 'GET', path: '/gateway/checkout', weight: 120, expect: 200 },
  { kind: 'gateway home', method: 'GET', path: '/gateway/home', weight: 20, expect: 200 },
  { kind: 'gateway product', method: 'GET', path: '/gateway/products/p-1', weight: 20, expect: 200 },
  { kind: 'stub GET', method: 'GET', path: '/soak/hello', weight: 24, expect: 200 },
  { kind: 'stub POST json', method: 'POST', path: '/soak/orders', weight: 8, expect: 201, body: 'json' },
  { kind: 'stub POST large', method: 'POST', path: '/soak/upload', weight: 1, expect: 202, body: 'large' },
  { kind: 'stub unmatched', method: 'GET', path: '/soak/missing', weight: 2, expect: 404 },
  { kind: 'admin journal page', method: 'GET', path: '/__admin/requests?limit=20', weight: 2, expect: 200 },
  { kind: 'admin journal all', method: 'GET', path: '/__admin/requests', weight: 1, expect: 200 },
  { kind: 'admin traces', method: 'GET', path: '/__admin/tracing/traces?limit=20', weight: 2, expect: 200 },
];

/** The mappings the stub requests above match (POSTed to /__admin/mappings before the load). */
export const SOAK_MAPPINGS = [
  { name: 'soak hello', request: { method: 'GET', urlPath: '/soak/hello' }, response: { status: 200, jsonBody: { hello: 'soak' } } },
  {
    name: 'soak order',
    request: { method: 'POST', urlPath: '/soak/orders', bodyPatterns: [{ matchesJsonPath: '$.items[?(@.quantity > 0)]' }] },
    response: { status: 201, headers: { Location: '/soak/orders/1' }, jsonBody: { id: 1 } },
  },
  { name: 'soak upload', request: { method: 'POST', urlPath: '/soak/upload' }, response: { status: 202, body: 'stored' } },
];

export const ORDER_BODY = JSON.stringify({ items: [{ sku: 'A-1', quantity: 2 }, { sku: 'B-7', quantity: 1 }] });

/** One cycle, each kind spread evenly over it (by the midpoints of its share), deterministic. */
export function cycle(): MixItem[] {
  const total = MIX.reduce((n, m) => n + m.weight, 0);
  if (total !== CYCLE) throw new Error(`the soak mix adds up to ${total}, not ${CYCLE}`);
  const slots = MIX.flatMap((item, k) => Array.from({ length: item.weight }, (_, i) => ({ at: (i + 0.5) / item.weight, k, item })));
  return slots.sort((a, b) => a.at - b.at || a.k - b.k).map((s) => s.item);
}
