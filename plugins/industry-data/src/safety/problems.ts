// Collects the safety validator's findings for one record: a path, a stable rule name and a
// message that says what a safe value looks like.
import type { SafetyProblem } from '../contract.js';

export class Problems {
  readonly list: SafetyProblem[] = [];
  add(path: string, rule: string, message: string): void {
    this.list.push({ path, rule, message });
  }
}

/** `a.b[2].c` style paths. */
export const join = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key);
