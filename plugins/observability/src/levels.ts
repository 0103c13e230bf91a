// pino's level numbers and names (the store keeps numbers, as pino writes them).
import type { LogLevel } from './contract.js';

export const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = Object.freeze({ trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 });

const NAMES = new Map<number, LogLevel>(Object.entries(LEVEL_VALUES).map(([name, value]) => [value, name as LogLevel]));

/** pino's label of a level number (`info` for 30); a number between two levels takes the lower one. */
export function levelName(level: number): LogLevel {
  const exact = NAMES.get(level);
  if (exact) return exact;
  let best: LogLevel = 'trace';
  for (const [value, name] of NAMES) if (value <= level && value >= LEVEL_VALUES[best]) best = name;
  return best;
}
