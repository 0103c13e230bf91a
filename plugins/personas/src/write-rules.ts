// Which validator findings refuse a write. industry-data's validator checks two kinds of
// rule: safety (identifiers that must not be real: e-mail and URL domains, IPs, phones, SSNs,
// MRNs, cards, IBANs, BICs, tickers) and consistency (a balance equals opening + credits −
// debits, stock is the sum of its variants, a journey is in order). Generated data passes
// both; a demo's write often cannot pass the second (an audience sets a balance to -50 and
// nothing else), so by default only safety rules refuse a write (`validateWrites: safety`);
// `all` enforces both, `off` neither.
import type { PersonasConfig } from './config.js';
import type { Entity, IndustryData, SafetyProblem } from './industry-types.js';

const matches = (rule: string, names: readonly string[]) => names.some((n) => (n.endsWith('.') ? rule.startsWith(n) : rule === n));

export function writeRules(data: IndustryData, config: Pick<PersonasConfig, 'validateWrites' | 'safetyRules'>): (industry: string, plural: string, record: Entity) => SafetyProblem[] {
  if (config.validateWrites === 'off') return () => [];
  if (config.validateWrites === 'all') return (industry, plural, record) => data.validate(industry, plural, record);
  return (industry, plural, record) => data.validate(industry, plural, record).filter((p) => matches(p.rule, config.safetyRules));
}
