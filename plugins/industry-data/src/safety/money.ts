// Money that adds up: integer minor units everywhere (ISO 4217 exponents below), amortisation
// schedules built so the principal parts sum to the loan exactly (the last instalment takes
// the rounding), and the checks the validator runs on both.
import type { Money } from '../contract.js';

/** ISO 4217 minor-unit exponents of the currencies the generators use. */
export const MINOR_UNITS: Record<string, number> = { EUR: 2, USD: 2, GBP: 2, CHF: 2, JPY: 0, BHD: 3, SEK: 2, CAD: 2, AUD: 2 };

export function isMoney(v: unknown): v is Money {
  return typeof v === 'object' && v !== null && 'amount' in v && 'currency' in v && Object.keys(v).length === 2;
}

export function moneyProblems(m: Money): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(m.amount)) problems.push(`amount ${m.amount} is not an integer number of minor units`);
  if (typeof m.currency !== 'string' || !(m.currency in MINOR_UNITS)) problems.push(`currency "${m.currency}" is not one of ${Object.keys(MINOR_UNITS).join(', ')}`);
  return problems;
}

export interface Instalment {
  number: number;
  dueDate: string;
  payment: Money;
  interest: Money;
  principal: Money;
  remaining: Money;
}

/**
 * A French (annuity) schedule: a fixed payment P·i / (1 − (1+i)^−n), interest on the remaining
 * balance rounded to the minor unit, and a last instalment that clears what is left.
 */
export function amortise(principal: number, annualRatePercent: number, months: number, currency: string, dueDate: (k: number) => string): { payment: number; schedule: Instalment[] } {
  const i = annualRatePercent / 100 / 12;
  const payment = i === 0 ? Math.ceil(principal / months) : Math.round((principal * i) / (1 - Math.pow(1 + i, -months)));
  const schedule: Instalment[] = [];
  let remaining = principal;
  for (let k = 1; k <= months && remaining > 0; k++) {
    const interest = Math.round(remaining * i);
    let part = payment - interest;
    if (k === months || part > remaining) part = remaining;
    remaining -= part;
    schedule.push({
      number: k,
      dueDate: dueDate(k),
      payment: { amount: part + interest, currency },
      interest: { amount: interest, currency },
      principal: { amount: part, currency },
      remaining: { amount: remaining, currency },
    });
  }
  return { payment, schedule };
}

/** Problems with a schedule: parts must sum to the principal, each payment = interest + principal, balances run down to 0. */
export function scheduleProblems(principal: number, schedule: readonly Instalment[]): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = [];
  let remaining = principal;
  let sum = 0;
  schedule.forEach((row, index) => {
    if (row.payment.amount !== row.interest.amount + row.principal.amount) problems.push({ index, message: `payment ${row.payment.amount} ≠ interest ${row.interest.amount} + principal ${row.principal.amount}` });
    remaining -= row.principal.amount;
    sum += row.principal.amount;
    if (row.remaining.amount !== remaining) problems.push({ index, message: `remaining ${row.remaining.amount} should be ${remaining}` });
  });
  if (sum !== principal) problems.push({ index: -1, message: `principal parts sum to ${sum}, not the loan's ${principal}` });
  return problems;
}
