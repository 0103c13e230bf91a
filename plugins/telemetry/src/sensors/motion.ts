// Motion: how many motion events a PIR sensor saw in the interval (Poisson, day/night rates).
import { HOUR, hourOfDay, isBetween, poisson } from './math.js';
import { defineModel } from './model.js';

export const motion = defineModel({
  name: 'motion',
  unit: 'events',
  description: 'Motion events in the interval: Poisson with dayRate events/hour between dayStartHour and dayEndHour, nightRate otherwise. 0 = no motion.',
  defaults: {
    dayRate: 12,
    nightRate: 1,
    dayStartHour: 7,
    dayEndHour: 22,
    utcOffsetHours: 0,
  },
  decimals: 0,
  anomalyScale: 20,
  range: [0, Number.MAX_SAFE_INTEGER],
  init: () => null,
  sample(p, t, _state, random, dtMs) {
    const day = isBetween(hourOfDay(t, p.utcOffsetHours), p.dayStartHour, p.dayEndHour);
    return poisson(((day ? p.dayRate : p.nightRate) * dtMs) / HOUR, random);
  },
});
