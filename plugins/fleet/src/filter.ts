// Which devices a filter selects, and the filter a list query
// (`?type=&state=&ids=a,b&metadata.floor=2`) stands for.
import { FleetErrors } from './errors.js';
import type { Device, DeviceFilter, DeviceState } from './contract.js';

export const DEVICE_STATES: readonly DeviceState[] = ['provisioned', 'active', 'offline', 'decommissioned'];

/** A filter compiled once: the id set and the metadata strings are built a single time. */
export function compileFilter(filter: DeviceFilter = {}): (device: Device) => boolean {
  const ids = filter.ids ? new Set(filter.ids) : undefined;
  const metadata = Object.entries(filter.metadata ?? {}).map(([k, v]) => [k, String(v)] as const);
  return (d) =>
    (filter.type === undefined || d.type === filter.type) &&
    (filter.state === undefined || d.state === filter.state) &&
    (ids === undefined || ids.has(d.id)) &&
    metadata.every(([k, v]) => d.metadata[k] !== undefined && String(d.metadata[k]) === v);
}

const LIST_KEYS = new Set(['type', 'state', 'ids', 'limit', 'offset', 'reveal']);

/** The filter of a list query; unknown keys are refused rather than silently ignored. */
export function filterFromQuery(query: Record<string, string | undefined>): DeviceFilter {
  const filter: DeviceFilter = {};
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (key.startsWith('metadata.') && key.length > 'metadata.'.length) {
      (filter.metadata ??= {})[key.slice('metadata.'.length)] = value;
    } else if (!LIST_KEYS.has(key)) {
      throw new FleetErrors.BAD_FILTER(`Unknown query parameter "${key}"`);
    }
  }
  if (query.type !== undefined) filter.type = query.type;
  if (query.state !== undefined) {
    if (!DEVICE_STATES.includes(query.state as DeviceState)) {
      throw new FleetErrors.BAD_FILTER(`state "${query.state}" is not one of ${DEVICE_STATES.join(', ')}`);
    }
    filter.state = query.state as DeviceState;
  }
  if (query.ids !== undefined) filter.ids = query.ids.split(',').filter(Boolean);
  return filter;
}
