// Which devices a node owns. ids and idPrefix need nothing else; type and metadata are
// looked up in the fleet (optional plugin) for every reading, so a device that changes
// metadata changes node at once.
import type { Fleet } from '@understudy/plugin-fleet';
import type { DeviceGroup } from './contract.js';

/** The part of the `fleet` service membership needs. */
export type FleetLookup = Pick<Fleet, 'get' | 'list'>;

export const needsFleet = (group: DeviceGroup): boolean => group.type !== undefined || group.metadata !== undefined;

export function memberTest(group: DeviceGroup, fleet: FleetLookup | undefined): (deviceId: string) => boolean {
  const ids = group.ids ? new Set(group.ids) : undefined;
  const metadata = Object.entries(group.metadata ?? {}).map(([k, v]) => [k, String(v)] as const);
  return (deviceId) => {
    if (ids && !ids.has(deviceId)) return false;
    if (group.idPrefix !== undefined && !deviceId.startsWith(group.idPrefix)) return false;
    if (!needsFleet(group)) return true;
    const device = fleet?.get(deviceId);
    if (!device) return false;
    if (group.type !== undefined && device.type !== group.type) return false;
    return metadata.every(([k, v]) => device.metadata[k] !== undefined && String(device.metadata[k]) === v);
  };
}

/** How many devices the group holds now (listed ids, else the fleet's); null without either. */
export function countMembers(group: DeviceGroup, fleet: FleetLookup | undefined, isMember: (id: string) => boolean): number | null {
  if (group.ids && !needsFleet(group)) return group.ids.filter(isMember).length;
  if (fleet) return fleet.list().filter((d) => isMember(d.id)).length;
  return null;
}
