// Vibration velocity (RMS): a quiet baseline with occasional bursts (a machine starting, a truck passing).
import { HOUR, MINUTE } from './math.js';
import { defineModel } from './model.js';

export const vibration = defineModel({
  name: 'vibration',
  unit: 'mm/s',
  description:
    'RMS velocity: baseline ± noise; bursts start at burstsPerHour (Poisson) and last burstMinutes at about burstLevel (±30 %).',
  defaults: {
    baseline: 1.5,
    noise: 0.2,
    burstsPerHour: 0.5,
    burstLevel: 12,
    burstMinutes: 5,
  },
  decimals: 2,
  anomalyScale: 25,
  range: [0, Number.MAX_SAFE_INTEGER],
  init: () => ({ burstLeftMs: 0 }),
  sample(p, _t, state, random, dtMs) {
    if (state.burstLeftMs <= 0 && random.chance(1 - Math.exp((-p.burstsPerHour * dtMs) / HOUR))) {
      state.burstLeftMs = p.burstMinutes * MINUTE;
    }
    if (state.burstLeftMs > 0) {
      state.burstLeftMs -= dtMs;
      return p.burstLevel * (0.7 + 0.6 * random.next());
    }
    return p.baseline + random.normal(0, p.noise);
  },
});
