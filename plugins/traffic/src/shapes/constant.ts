// constant: the same rate at every moment.
import type { RateFn } from './types.js';

export const constant = (shape: { rps: number }): RateFn => () => shape.rps;
