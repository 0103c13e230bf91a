// Battery level: drains linearly or exponentially with a noisy drain, never rises, never below 0.
import { DAY } from './math.js';
import { defineModel } from './model.js';

export const battery = defineModel({
  name: 'battery',
  unit: '%',
  description:
    'Starts at start %, drains drainPerDay %/day (mode linear) or halves every halfLifeDays (mode exponential); ' +
    'the drain varies by ±noise (relative) but is never negative, so the level never rises and stops at 0.',
  defaults: {
    start: 100,
    mode: 'linear' as 'linear' | 'exponential',
    drainPerDay: 2,
    halfLifeDays: 30,
    /** Relative standard deviation of each drain step. */
    noise: 0.2,
  },
  decimals: 2,
  anomalyScale: 15,
  range: [0, 100],
  check: (p) => (p.mode === 'linear' || p.mode === 'exponential' ? [] : [`mode: must be "linear" or "exponential", got "${p.mode}"`]),
  init: (p) => ({ level: p.start }),
  sample(p, _t, state, random, dtMs) {
    const days = dtMs / DAY;
    const drain = p.mode === 'linear' ? p.drainPerDay * days : state.level * (1 - 2 ** (-days / p.halfLifeDays));
    state.level = Math.max(0, state.level - drain * Math.max(0, 1 + random.normal(0, p.noise)));
    return state.level;
  },
});
