// Indoor CO2: rises towards outdoor + occupants × perOccupant, and decays back when the room empties.
import { hourOfDay, isBetween, MINUTE, poisson } from './math.js';
import { defineModel } from './model.js';

export const co2 = defineModel({
  name: 'co2',
  unit: 'ppm',
  description:
    'First-order room model: each interval the level moves towards outdoor + occupants × perOccupant with time constant tauMinutes; ' +
    'occupants are Poisson(occupantsDay) between dayStartHour and dayEndHour, Poisson(occupantsNight) otherwise.',
  defaults: {
    outdoor: 420,
    /** ppm one occupant adds at equilibrium. */
    perOccupant: 150,
    occupantsDay: 4,
    occupantsNight: 0,
    dayStartHour: 8,
    dayEndHour: 18,
    tauMinutes: 45,
    noise: 10,
    utcOffsetHours: 0,
  },
  decimals: 0,
  anomalyScale: 800,
  range: [0, Number.MAX_SAFE_INTEGER],
  init: (p) => ({ level: p.outdoor }),
  sample(p, t, state, random, dtMs) {
    const day = isBetween(hourOfDay(t, p.utcOffsetHours), p.dayStartHour, p.dayEndHour);
    const occupants = poisson(day ? p.occupantsDay : p.occupantsNight, random);
    const target = p.outdoor + occupants * p.perOccupant;
    state.level += (target - state.level) * (1 - Math.exp(-dtMs / (p.tauMinutes * MINUTE)));
    return state.level + random.normal(0, p.noise);
  },
});
