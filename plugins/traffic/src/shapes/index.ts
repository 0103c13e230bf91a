// A checked pattern spec compiled to its rate function: the shape, then scale, then jitter.
import type { Random } from '@understudy/plugin-sdk';
import type { PatternSpec } from '../contract.js';
import { bursts } from './bursts.js';
import { constant } from './constant.js';
import type { RatePoint } from './csv.js';
import { diurnal } from './diurnal.js';
import { jittered, scaled } from './jitter.js';
import { ramp } from './ramp.js';
import { replay } from './replay.js';
import { step } from './step.js';
import type { RateFn } from './types.js';

export type { RateFn } from './types.js';

/** `random` is the pattern's own stream (forked by its id): bursts and jitter fork it further. */
export function compileRate(spec: PatternSpec, points: RatePoint[] | undefined, random: Random): RateFn {
  const shape = spec.shape;
  let fn: RateFn;
  switch (shape.kind) {
    case 'constant':
      fn = constant(shape);
      break;
    case 'diurnal':
      fn = diurnal(shape);
      break;
    case 'ramp':
      fn = ramp(shape);
      break;
    case 'step':
      fn = step(shape);
      break;
    case 'bursts':
      fn = bursts(shape, random.fork('bursts'));
      break;
    case 'replay':
      fn = replay(points!, shape);
      break;
  }
  return jittered(scaled(fn, spec.scale ?? 1), spec.jitter ?? 0, random.fork('jitter'));
}
