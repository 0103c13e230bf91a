// Test helpers: a service built directly (no kernel) for generator tests, and a started test
// kernel with the plugin for the REST/admin and config tests.
import { createTestKernel, fetchJson, type TestKernel } from '@understudy/plugin-sdk/testing';
import industryData from '../src/index.js';
import { BUILTIN_INDUSTRIES } from '../src/builtins.js';
import { IndustryDataService, type ServiceOptions } from '../src/service.js';

export { fetchJson as call } from '@understudy/plugin-sdk/testing';

export function service(options: Partial<ServiceOptions> = {}): IndustryDataService {
  return new IndustryDataService({
    seed: 'test-seed',
    epoch: '2026-01-01T00:00:00Z',
    industries: Object.values(BUILTIN_INDUSTRIES),
    counts: {},
    currency: { finance: 'EUR', healthcare: 'USD', retail: 'USD' },
    cache: { maxEntries: 5000, maxBytes: 16 * 1024 * 1024 },
    maxPageSize: 1000,
    maxScan: 100_000,
    ...options,
  });
}

export async function start(config: Record<string, unknown> = {}, seed: number | string = 1): Promise<TestKernel> {
  return createTestKernel({ plugins: [industryData], config: { 'industry-data': config }, seed });
}

export const admin = (k: TestKernel, path: string, init: Parameters<typeof fetchJson>[1] = {}) => fetchJson(`${k.baseUrl}/__admin/industry-data${path}`, init);

/** The error a function throws (fails the test when it throws none). */
export function thrown(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (err) {
    return err as Error & Record<string, unknown>;
  }
  throw new Error('expected an error');
}
