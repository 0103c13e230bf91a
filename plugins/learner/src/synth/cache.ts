// Synthesized answers kept for requests that come again. Synthesis is a pure function of
// the endpoint model, the request and the seeded stream (synthesize.ts), and a model is
// never changed in place — learning replaces it with a new object — so an answer cached
// with the model object it came from is exactly what synthesis would give again, as long
// as that object is still the endpoint's model. Bounded by entries and body bytes, oldest
// dropped first. Measured in the proxy bench (mock mode, one endpoint): synthesis (status
// and latency draws, the recorded example's check against the schema) was most of the
// mock's own CPU per request; a hit is a map lookup and a copy of the headers.
import type { EndpointModel, MockResponse } from '../model/types.js';

export interface MockCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

interface Entry {
  model: EndpointModel;
  response: MockResponse;
  bytes: number;
}

export class MockCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly limits: MockCacheLimits = { maxEntries: 4096, maxBytes: 8 * 1024 * 1024 }) {}

  /** The answer cached under `key` for this very model object (a copy: callers may change it). */
  get(key: string, model: EndpointModel): MockResponse | undefined {
    const e = this.entries.get(key);
    if (!e || e.model !== model) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    return { ...e.response, headers: { ...e.response.headers } };
  }

  set(key: string, model: EndpointModel, response: MockResponse): void {
    const bytes = key.length + response.body.length;
    if (bytes > this.limits.maxBytes) return;
    this.delete(key);
    while (this.entries.size >= this.limits.maxEntries || this.bytes + bytes > this.limits.maxBytes) this.delete(this.entries.keys().next().value!);
    this.entries.set(key, { model, response: { ...response, headers: { ...response.headers } }, bytes });
    this.bytes += bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  get cachedBytes(): number {
    return this.bytes;
  }

  private delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.bytes;
  }
}
