// Relative humidity: falls as the air warms (same daily curve as temperature), plus AR(1) noise.
import { ar1, MINUTE } from './math.js';
import { defineModel } from './model.js';
import { dailyTemperature } from './temperature.js';

export const humidity = defineModel({
  name: 'humidity',
  unit: '%RH',
  description:
    'Inverse of the daily temperature curve: mean - perDegree × (temperature - temperatureMean), plus AR(1) noise, within 0–100. ' +
    'A device type that also carries temperature lends it its mean, amplitude and hours.',
  defaults: {
    /** %RH at the mean temperature. */
    mean: 45,
    /** %RH lost per °C above the mean temperature. */
    perDegree: 3,
    temperatureMean: 21,
    temperatureAmplitude: 3,
    minHour: 5,
    maxHour: 15,
    noise: 1.5,
    noiseTauMinutes: 60,
    utcOffsetHours: 0,
  },
  decimals: 1,
  anomalyScale: 20,
  range: [0, 100],
  init: (p, _t, random) => ({ noise: random.normal(0, p.noise) }),
  sample(p, t, state, random, dtMs) {
    const curve = { ...p, mean: p.temperatureMean, amplitude: p.temperatureAmplitude };
    state.noise = ar1(state.noise, dtMs, p.noiseTauMinutes * MINUTE, p.noise, random);
    return p.mean - p.perDegree * (dailyTemperature(curve, t) - p.temperatureMean) + state.noise;
  },
});
