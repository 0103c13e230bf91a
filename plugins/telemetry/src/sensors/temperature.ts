// Air temperature: a daily curve (coldest at minHour, warmest at maxHour) plus AR(1) noise.
import { ar1, dailyShape, hourOfDay, MINUTE } from './math.js';
import { defineModel } from './model.js';

export const temperatureDefaults = {
  /** °C around which the day swings. */
  mean: 21,
  /** °C from the mean to the daily maximum (and minimum). */
  amplitude: 3,
  minHour: 5,
  maxHour: 15,
  /** Standard deviation (°C) of the slowly wandering noise. */
  noise: 0.3,
  /** How long the noise stays correlated. */
  noiseTauMinutes: 30,
  /** Hours added to the kernel clock's UTC to get local time. */
  utcOffsetHours: 0,
};
export type TemperatureParams = typeof temperatureDefaults;

/** The noise-free curve: humidity uses it too, so both move together. */
export function dailyTemperature(p: Pick<TemperatureParams, 'mean' | 'amplitude' | 'minHour' | 'maxHour' | 'utcOffsetHours'>, t: number): number {
  return p.mean + p.amplitude * dailyShape(hourOfDay(t, p.utcOffsetHours), p.minHour, p.maxHour);
}

export const temperature = defineModel<TemperatureParams, { noise: number }>({
  name: 'temperature',
  unit: '°C',
  description: 'Daily cycle (min at minHour, max at maxHour of the kernel clock, UTC + utcOffsetHours) plus AR(1) noise.',
  defaults: temperatureDefaults,
  decimals: 2,
  anomalyScale: 8,
  init: (p, _t, random) => ({ noise: random.normal(0, p.noise) }),
  sample(p, t, state, random, dtMs) {
    state.noise = ar1(state.noise, dtMs, p.noiseTauMinutes * MINUTE, p.noise, random);
    return dailyTemperature(p, t) + state.noise;
  },
});
