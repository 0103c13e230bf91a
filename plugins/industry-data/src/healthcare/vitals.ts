// Vital signs and labs plausible for a patient's age and sex, with trends over time: each
// patient has a personal baseline (drawn once from her own "baseline" stream), values drift
// with age (blood pressure rises, children grow), conditions move them (hypertension raises
// systolic pressure, diabetes HbA1c), and each measurement adds a little noise. Paediatric
// norms follow the usual age bands (infant heart rate ~130/min, respiratory rate ~38/min).
import type { Random } from '@understudy/plugin-sdk';
import type { ConditionCode } from './codes.js';

export interface Baseline {
  heartRate: number;
  systolic: number;
  heightZ: number;
  bmi: number;
  weightSlope: number;
  systolicSlope: number;
}

export function baselineOf(random: Random): Baseline {
  return {
    heartRate: random.normal(0, 5),
    systolic: random.normal(0, 7),
    heightZ: Math.max(-2.5, Math.min(2.5, random.normal(0, 1))),
    bmi: random.normal(0, 2.5),
    weightSlope: random.normal(0.3, 0.6),
    systolicSlope: Math.abs(random.normal(0.6, 0.5)),
  };
}

const band = <T>(age: number, values: [number, T][]): T => {
  for (const [limit, v] of values) if (age < limit) return v;
  return values[values.length - 1][1];
};

export function heightCm(age: number, sex: string, b: Baseline): number {
  const adult = sex === 'female' ? 163 : 176;
  const mean = age < 1 ? 50 + 25 * age : age < 2 ? 75 + 12 * (age - 1) : age < 18 ? 87 + ((adult - 87) * (age - 2)) / 16 : adult;
  return mean * (1 + 0.04 * b.heightZ);
}

function bmiOf(age: number, b: Baseline): number {
  const mean = band(age, [[2, 16.8], [6, 15.8], [12, 17], [18, 20.5], [40, 25.5], [65, 27.5], [200, 26.5]]);
  return Math.max(13, mean + (age < 18 ? b.bmi * 0.4 : b.bmi));
}

export interface VitalContext {
  age: number;
  sex: string;
  /** Years since the patient's first encounter in the data set (drives the trend). */
  years: number;
  conditions: readonly ConditionCode[];
}

/** The value of one LOINC code (blood pressure: [systolic, diastolic]). */
export function measure(loinc: string, ctx: VitalContext, b: Baseline, noise: Random): number | [number, number] {
  const { age, sex } = ctx;
  const effect = (k: 'systolic' | 'heartRate') => ctx.conditions.reduce((s, c) => s + (c.effect?.[k] ?? 0), 0);
  const has = (key: string) => ctx.conditions.some((c) => c.key === key);
  switch (loinc) {
    case '8867-4': {
      const mean = band(age, [[1, 130], [3, 115], [6, 100], [12, 88], [18, 78], [200, 72]]) + (sex === 'female' ? 3 : 0);
      return Math.round(mean + b.heartRate + effect('heartRate') + noise.normal(0, 4));
    }
    case '9279-1':
      return Math.round(band(age, [[1, 38], [3, 28], [6, 24], [12, 20], [18, 17], [200, 15]]) + noise.normal(0, 1.5));
    case '85354-9': {
      const mean = age < 18 ? band(age, [[1, 85], [6, 95], [12, 102], [18, 110]]) : 112 + Math.min(25, 0.4 * (age - 18)) + b.systolicSlope * ctx.years;
      const systolic = Math.round(mean + b.systolic * (age < 18 ? 0.5 : 1) + effect('systolic') + noise.normal(0, 5));
      return [systolic, Math.round(systolic * 0.63 + noise.normal(0, 4))];
    }
    case '8310-5':
      return Math.round((36.8 + noise.normal(0, 0.25) + (has('otitis-media') ? 0.6 : 0)) * 10) / 10;
    case '59408-5':
      return Math.min(100, Math.round(98 + noise.normal(0, 0.8) - (has('asthma') ? 1.5 : 0)));
    case '8302-2':
      return Math.round(heightCm(age, sex, b) * 10) / 10;
    case '29463-7': {
      const h = heightCm(age, sex, b) / 100;
      const trend = age >= 18 ? b.weightSlope * ctx.years : 0;
      return Math.round((bmiOf(age, b) * h * h + trend + noise.normal(0, 0.4)) * 10) / 10;
    }
    case '39156-5':
      return Math.round(bmiOf(age, b) * 10) / 10;
    case '4548-4':
      return Math.round(((has('type-2-diabetes') ? 7.3 : 5.3) + noise.normal(0, has('type-2-diabetes') ? 0.7 : 0.25)) * 10) / 10;
    case '2339-0':
      return Math.round((has('type-2-diabetes') ? 152 : 92) + noise.normal(0, has('type-2-diabetes') ? 22 : 8));
    case '2093-3':
      return Math.round((has('hyperlipidemia') ? 242 : 182) + noise.normal(0, 18));
    case '18262-6':
      return Math.round((has('hyperlipidemia') ? 162 : 102) + noise.normal(0, 15));
    default:
      return 0;
  }
}

/** Plausible ranges the validator checks (wide: they catch nonsense, not illness). */
export function plausible(loinc: string, age: number): [number, number] | undefined {
  const child = age < 18;
  switch (loinc) {
    case '8867-4': return child ? [60, 190] : [40, 140];
    case '9279-1': return child ? [12, 60] : [8, 30];
    case '8480-6': return child ? [60, 140] : [85, 200];
    case '8462-4': return child ? [30, 95] : [45, 125];
    case '8310-5': return [35, 40.5];
    case '59408-5': return [88, 100];
    case '8302-2': return age < 1 ? [40, 85] : child ? [60, 200] : [135, 210];
    case '29463-7': return age < 1 ? [2, 14] : child ? [7, 130] : [35, 200];
    default: return undefined;
  }
}
