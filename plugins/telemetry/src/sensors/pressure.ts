// Barometric pressure: a slow mean-reverting random walk around sea-level pressure.
import { HOUR } from './math.js';
import { defineModel } from './model.js';

export const pressure = defineModel({
  name: 'pressure',
  unit: 'hPa',
  description: 'Mean-reverting random walk (Ornstein–Uhlenbeck) around mean: weather moves it a few hPa over hours, plus small sensor noise.',
  defaults: {
    mean: 1013.25,
    /** Share of the distance to the mean recovered per hour. */
    reversionPerHour: 0.05,
    /** hPa per √hour of random walk. */
    volatility: 0.5,
    /** Sensor noise (hPa). */
    noise: 0.1,
  },
  decimals: 2,
  anomalyScale: 25,
  init: (p, _t, random) => ({ level: p.mean + random.normal(0, p.volatility * 2) }),
  sample(p, _t, state, random, dtMs) {
    const hours = dtMs / HOUR;
    state.level += p.reversionPerHour * (p.mean - state.level) * hours + p.volatility * Math.sqrt(hours) * random.normal();
    return state.level + random.normal(0, p.noise);
  },
});
