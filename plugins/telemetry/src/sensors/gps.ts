// GPS: a vehicle moving along a route of waypoints at a constant speed, with a few metres of fix error.
import type { GpsValue } from '../contract.js';
import { HOUR } from './math.js';
import { defineModel } from './model.js';

const EARTH_RADIUS_M = 6_371_000;
const METRES_PER_DEGREE = 111_320;

/** Great-circle distance in metres. */
export function haversine(a: GpsValue, b: GpsValue): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(h));
}

/** The legs of the route; a loop adds the leg from the last waypoint back to the first. */
export function routeLegs(waypoints: GpsValue[], loop: boolean): Array<{ from: GpsValue; to: GpsValue; length: number }> {
  const points = loop ? [...waypoints, waypoints[0]] : waypoints;
  return points.slice(1).map((to, i) => ({ from: points[i], to, length: haversine(points[i], to) }));
}

/** The point `distance` metres along the route (wrapping for a loop, stopping at the end otherwise). */
export function pointAlong(waypoints: GpsValue[], loop: boolean, distance: number): GpsValue {
  const legs = routeLegs(waypoints, loop);
  const total = legs.reduce((sum, leg) => sum + leg.length, 0);
  let left = loop && total > 0 ? distance % total : Math.min(distance, total);
  for (const leg of legs) {
    if (left <= leg.length && leg.length > 0) {
      const f = left / leg.length;
      return { lat: leg.from.lat + (leg.to.lat - leg.from.lat) * f, lon: leg.from.lon + (leg.to.lon - leg.from.lon) * f };
    }
    left -= leg.length;
  }
  return { ...waypoints[loop ? 0 : waypoints.length - 1] };
}

/** A small loop through central Berlin (about 4.6 km). */
export const DEFAULT_ROUTE: GpsValue[] = [
  { lat: 52.5163, lon: 13.3777 },
  { lat: 52.5208, lon: 13.4094 },
  { lat: 52.5125, lon: 13.4190 },
  { lat: 52.5076, lon: 13.3904 },
];

export const gps = defineModel({
  name: 'gps',
  unit: 'deg',
  description:
    'WGS84 { lat, lon } moving along waypoints at speedKmh (looping back to the first when loop is true, else stopping at the last), ' +
    'with jitterMeters of fix error.',
  defaults: {
    waypoints: DEFAULT_ROUTE,
    speedKmh: 30,
    loop: true,
    jitterMeters: 3,
  },
  decimals: 6,
  anomalyScale: 0.01,
  check(p) {
    const ok = Array.isArray(p.waypoints) && p.waypoints.length >= 2 && p.waypoints.every((w) => typeof w?.lat === 'number' && typeof w?.lon === 'number');
    return ok ? [] : ['waypoints: must be at least two { lat, lon } points'];
  },
  init: () => ({ distance: 0 }),
  sample(p, _t, state, random, dtMs) {
    state.distance += (p.speedKmh * 1000 * dtMs) / HOUR;
    const at = pointAlong(p.waypoints, p.loop, state.distance);
    const jitter = () => random.normal(0, p.jitterMeters) / METRES_PER_DEGREE;
    return { lat: at.lat + jitter(), lon: at.lon + jitter() / Math.cos((at.lat * Math.PI) / 180) };
  },
});
