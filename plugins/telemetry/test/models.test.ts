import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRandom } from '@understudy/kernel';
import { resolveParams } from '../src/params.js';
import { dailyShape, hourOfDay, isBetween, poisson } from '../src/sensors/math.js';
import { DEFAULT_ROUTE, gps, haversine, pointAlong, routeLegs } from '../src/sensors/gps.js';
import { battery, humidity, MODELS, SENSOR_NAMES, temperature } from '../src/sensors/index.js';
import { dailyTemperature, temperatureDefaults } from '../src/sensors/temperature.js';
import { resolveSpecs } from '../src/specs.js';
import type { GpsValue } from '../src/contract.js';
import { DAY, HOUR, mean, meanBetween, run, T0, values } from './pure-helpers.js';

test('daily shape: -1 at 05:00, +1 at 15:00, rising in between, falling after', () => {
  assert.is(dailyShape(5), -1);
  assert.is(dailyShape(15), 1);
  assert.ok(dailyShape(10) > dailyShape(7));
  assert.ok(dailyShape(20) < dailyShape(16));
  assert.ok(Math.abs(dailyShape(4.99) - -1) < 0.01);
  assert.is(hourOfDay(T0 + 3 * HOUR), 3);
  assert.is(hourOfDay(T0 + 3 * HOUR, -5), 22);
  assert.ok(isBetween(23, 22, 6) && isBetween(2, 22, 6) && !isBetween(12, 22, 6));
  assert.is(dailyTemperature(temperatureDefaults, T0 + 5 * HOUR), 18);
  assert.is(dailyTemperature(temperatureDefaults, T0 + 15 * HOUR), 24);
});

test('temperature: afternoon warmer than night, within mean ± amplitude plus noise, °C', () => {
  const readings = run('temperature', { days: 7, intervalMs: 600_000 });
  assert.is(readings[0].unit, '°C');
  assert.ok(meanBetween(readings, 14, 16) - meanBetween(readings, 4, 6) > 4, 'afternoon at least 4 °C warmer');
  assert.ok(values(readings).every((v) => v > 21 - 3 - 2 && v < 21 + 3 + 2));
  assert.ok(Math.abs(mean(values(readings)) - 21) < 1.5);
  // AR(1): neighbours are close
  const v = values(readings);
  assert.ok(v.slice(1).every((x, i) => Math.abs(x - v[i]) < 1));
  // the curve follows its params and its local hours
  const hot = run('temperature', { days: 2, params: { mean: 30, amplitude: 10, noise: 0, utcOffsetHours: 12 } });
  assert.ok(Math.abs(meanBetween(hot, 3, 4) - 40) < 0.5, 'max at 15:00 local = 03:00 UTC');
});

test('humidity: inverse of temperature, within 0–100 %RH, borrows the device type’s temperature', () => {
  const readings = run('humidity', { days: 7, intervalMs: 600_000 });
  assert.is(readings[0].unit, '%RH');
  assert.ok(values(readings).every((v) => v >= 0 && v <= 100));
  assert.ok(meanBetween(readings, 4, 6) - meanBetween(readings, 14, 16) > 10, 'night more humid');
  const dry = run('humidity', { params: { mean: 2, noise: 5 }, days: 2 });
  assert.ok(values(dry).some((v) => v === 0), 'clamped at 0');
  const { byType, problems } = resolveSpecs({
    room: [
      { sensor: 'temperature', intervalMs: 60_000, params: { mean: 30, amplitude: 5 } },
      { sensor: 'humidity', intervalMs: 60_000 },
    ],
    wet: [{ sensor: 'humidity', intervalMs: 60_000, params: { temperatureMean: 10 } }],
  });
  assert.equal(problems, []);
  const h = byType.get('room')![1].params;
  assert.is(h.temperatureMean, 30);
  assert.is(h.temperatureAmplitude, 5);
  assert.is(byType.get('wet')![0].params.temperatureMean, 10);
  assert.is(humidity.anomalyScale, 20);
});

test('motion: Poisson counts, more by day than by night, none at night with nightRate 0', () => {
  const readings = run('motion', { days: 7 });
  assert.is(readings[0].unit, 'events');
  assert.ok(values(readings).every((v) => Number.isInteger(v) && v >= 0));
  const perHour = (from: number, to: number) => meanBetween(readings, from, to) * 60;
  assert.ok(Math.abs(perHour(8, 21) - 12) < 2, `day rate ${perHour(8, 21)}`);
  assert.ok(perHour(0, 6) < 2, `night rate ${perHour(0, 6)}`);
  const quiet = run('motion', { params: { nightRate: 0 }, days: 2 });
  assert.is(meanBetween(quiet, 0, 7), 0);
  // large means use the normal approximation
  const r = createRandom(3, 'p');
  const big = Array.from({ length: 2000 }, () => poisson(100, r));
  assert.ok(Math.abs(mean(big) - 100) < 2);
  assert.is(poisson(0, r), 0);
});

test('pressure: a slow walk around 1013 hPa', () => {
  const readings = run('pressure', { days: 14, intervalMs: 600_000 });
  assert.is(readings[0].unit, 'hPa');
  const v = values(readings);
  assert.ok(v.every((x) => x > 980 && x < 1045));
  assert.ok(v.slice(1).every((x, i) => Math.abs(x - v[i]) < 2), 'no jumps between readings');
});

test('co2: rises with daytime occupancy, decays towards outdoor at night, ppm', () => {
  const readings = run('co2', { days: 3 });
  assert.is(readings[0].unit, 'ppm');
  assert.ok(values(readings).every((v) => v >= 0 && Number.isInteger(v)));
  assert.ok(meanBetween(readings, 14, 18) > 900, `afternoon ${meanBetween(readings, 14, 18)}`);
  assert.ok(Math.abs(meanBetween(readings, 2, 7) - 420) < 30, `night ${meanBetween(readings, 2, 7)}`);
});

test('battery: never rises, never below 0, linear and exponential drain', () => {
  const linear = values(run('battery', { days: 10, intervalMs: 3_600_000 }));
  assert.ok(linear.slice(1).every((x, i) => x <= linear[i]), 'non-increasing');
  assert.ok(Math.abs(linear.at(-1)! - 80) < 1.5, `after 10 days ${linear.at(-1)}`);
  const flat = values(run('battery', { days: 5, params: { drainPerDay: 40, noise: 1 } }));
  assert.ok(flat.slice(1).every((x, i) => x <= flat[i]));
  assert.is(flat.at(-1), 0);
  assert.ok(flat.every((x) => x >= 0));
  const exp = values(run('battery', { days: 30, intervalMs: 3_600_000, params: { mode: 'exponential', halfLifeDays: 10, noise: 0 } }));
  assert.ok(Math.abs(exp.at(-1)! - 12.5) < 0.1, `three half-lives ${exp.at(-1)}`);
  assert.equal(resolveParams(battery, { mode: 'solar' }).problems, ['mode: must be "linear" or "exponential", got "solar"']);
});

/** Metres from p to the segment a–b (flat approximation, fine for a city route). */
function distanceToLeg(p: GpsValue, a: GpsValue, b: GpsValue): number {
  const k = Math.cos((p.lat * Math.PI) / 180);
  const [px, py, ax, ay, bx, by] = [p.lon * k, p.lat, a.lon * k, a.lat, b.lon * k, b.lat];
  const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
  const f = Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2));
  return Math.hypot(px - (ax + f * (bx - ax)), py - (ay + f * (by - ay))) * 111_320;
}

test('gps: follows the route at its speed, loops or stops at the end', () => {
  const readings = run('gps', { days: 1, intervalMs: 10_000 });
  assert.is(readings[0].unit, 'deg');
  const legs = routeLegs(DEFAULT_ROUTE, true);
  for (const r of readings) {
    const p = r.value as GpsValue;
    assert.ok(Math.min(...legs.map((l) => distanceToLeg(p, l.from, l.to))) < 20, `off route: ${JSON.stringify(p)}`);
  }
  // 30 km/h for 10 s ≈ 83 m between fixes
  const first = readings[0].value as GpsValue;
  const second = readings[1].value as GpsValue;
  assert.ok(Math.abs(haversine(first, second) - 83) < 20);
  const route = [
    { lat: 0, lon: 0 },
    { lat: 0, lon: 0.01 },
  ];
  const oneWay = run('gps', { params: { waypoints: route, loop: false, jitterMeters: 0, speedKmh: 60 }, days: 1 });
  assert.equal(oneWay.at(-1)!.value, { lat: 0, lon: 0.01 });
  assert.equal(pointAlong(route, true, 0), { lat: 0, lon: 0 });
  assert.equal(pointAlong([route[0], route[0]], true, 50), { lat: 0, lon: 0 });
  assert.equal(resolveParams(gps, { waypoints: [{ lat: 1, lon: 2 }] }).problems, ['waypoints: must be at least two { lat, lon } points']);
  assert.equal(resolveParams(gps, { waypoints: [{ lat: 1 }, { lat: 2 }] }).problems, ['waypoints: must be at least two { lat, lon } points']);
});

test('vibration: quiet baseline with bursts at their rate, mm/s', () => {
  const readings = run('vibration', { days: 2 });
  assert.is(readings[0].unit, 'mm/s');
  const v = values(readings);
  assert.ok(v.every((x) => x >= 0));
  assert.ok(v.filter((x) => x > 6).length > 10, 'some bursts');
  assert.ok(Math.abs(mean(v.filter((x) => x < 4)) - 1.5) < 0.1);
  const calm = values(run('vibration', { params: { burstsPerHour: 0 } }));
  assert.ok(calm.every((x) => x < 4));
});

test('params: unknown names and wrong types are reported with what is known', () => {
  assert.equal(resolveParams(temperature, { mean: 'hot', colour: 1 }).problems, [
    'mean: must be number, got string',
    `colour: unknown parameter of temperature (known: ${Object.keys(temperature.defaults).join(', ')})`,
  ]);
  assert.equal(resolveParams(MODELS.gps, { waypoints: null }).problems, ['waypoints: must be array, got null']);
  const { problems } = resolveSpecs({ t: [{ sensor: 'temperature', intervalMs: 1 }, { sensor: 'temperature', intervalMs: 1, params: { amplitude: 'x' } }] });
  assert.equal(problems, [
    'plugins.telemetry.sensors.t[1].sensor: temperature is listed twice for t; a device publishes one stream per sensor',
    'plugins.telemetry.sensors.t[1].params.amplitude: must be number, got string',
  ]);
  // a broken temperature lends nothing to humidity
  const bad = resolveSpecs({ t: [{ sensor: 'temperature', intervalMs: 1, params: { mean: 'x' } }, { sensor: 'humidity', intervalMs: 1 }] });
  assert.is(bad.byType.get('t')![1].params.temperatureMean, 21);
  assert.equal(resolveSpecs({ empty: [] }).byType.size, 0);
  assert.is(SENSOR_NAMES.length, 8);
  assert.is(DAY, 86_400_000);
});

test.run();
