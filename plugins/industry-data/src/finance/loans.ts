// Loans with French amortisation schedules in integer minor units: the principal parts sum to
// the principal exactly, each payment is interest + principal, and the balance runs down to
// 0 (safety/money.ts). Hints: `kind` (mortgage | personal | auto | student), `principal`
// (minor units), `annualRate` (percent), `termMonths`.
import type { Entity, Money } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, isoDate, isoDatePlusMonths } from '../core/time.js';
import { amortise, scheduleProblems, type Instalment } from '../safety/money.js';
import type { Problems } from '../safety/problems.js';
import { LOAN_KINDS, type LoanKind } from './vocabulary.js';

const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export const loans: TypeSpec = {
  type: 'loan',
  plural: 'loans',
  idPrefix: 'lon',
  description: 'Mortgages and personal, car and student loans with amortisation schedules that sum to the principal.',
  count: 600,
  parent: { name: 'customer', plural: 'customers', via: 'customerId' },
  fields: [
    { name: 'customerId, kind, productName', description: 'borrower; mortgage|personal|auto|student' },
    { name: 'principal, annualRate, termMonths', description: 'Money; percent (2 decimals); months' },
    { name: 'monthlyPayment, totalInterest, totalRepayable', description: 'Money' },
    { name: 'startDate, maturityDate', description: 'ISO dates' },
    { name: 'outstanding, paidInstalments', description: 'remaining principal at the epoch; instalments due before it' },
    { name: 'schedule[]', description: 'number, dueDate, payment, interest, principal, remaining (Money each)' },
    { name: 'collateral', description: 'mortgages: the property address' },
    { name: 'status', description: 'active | paid-off' },
  ],
  hints: [
    { key: 'kind', description: 'mortgage | personal | auto | student' },
    { key: 'principal', description: 'minor units' },
    { key: 'annualRate', description: 'percent' },
    { key: 'termMonths', description: 'months' },
  ],
  generate(g): Entity {
    const kind: LoanKind = typeof g.hints.kind === 'string' && g.hints.kind in LOAN_KINDS ? (g.hints.kind as LoanKind) : g.rng.pick(['personal', 'personal', 'auto', 'mortgage', 'student']);
    const spec = LOAN_KINDS[kind];
    const principal = Math.round(num(g.hints.principal) ?? g.rng.int(spec.min / 1000, spec.max / 1000) * 1000);
    const annualRate = num(g.hints.annualRate) ?? Math.round((spec.rate[0] + (spec.rate[1] - spec.rate[0]) * g.rng.next()) * 100) / 100;
    const termMonths = Math.max(1, Math.round(num(g.hints.termMonths) ?? g.rng.int(spec.months[0] / 12, spec.months[1] / 12) * 12));
    const start = g.epoch - g.rng.int(1, Math.max(1, Math.min(termMonths - 1, 96))) * 30 * DAY;
    const { payment, schedule } = amortise(principal, annualRate, termMonths, g.currency, (k) => isoDatePlusMonths(start, k));
    const today = isoDate(g.epoch);
    const paid = schedule.filter((row) => row.dueDate <= today);
    const outstanding = paid.length ? paid[paid.length - 1].remaining.amount : principal;
    const totalInterest = schedule.reduce((s, row) => s + row.interest.amount, 0);
    return {
      id: g.key,
      type: 'loan',
      customerId: String(g.parentId()),
      kind,
      productName: spec.name,
      principal: g.money(principal),
      annualRate,
      termMonths,
      monthlyPayment: g.money(payment),
      totalInterest: g.money(totalInterest),
      totalRepayable: g.money(principal + totalInterest),
      startDate: isoDate(start),
      maturityDate: schedule[schedule.length - 1].dueDate,
      outstanding: g.money(outstanding),
      paidInstalments: paid.length,
      ...(kind === 'mortgage' ? { collateral: { kind: 'residential property', address: `${g.faker.location.streetAddress()}, ${g.faker.location.city()}` } } : {}),
      status: outstanding === 0 ? 'paid-off' : 'active',
      schedule,
    };
  },
  check(r: Entity, p: Problems) {
    const principal = (r.principal as Money).amount;
    const schedule = r.schedule as Instalment[];
    for (const problem of scheduleProblems(principal, schedule)) p.add(problem.index < 0 ? 'schedule' : `schedule[${problem.index}]`, 'loan.amortisation', problem.message);
    const interest = schedule.reduce((s, row) => s + row.interest.amount, 0);
    if (interest !== (r.totalInterest as Money).amount) p.add('totalInterest', 'loan.amortisation', `totalInterest ${(r.totalInterest as Money).amount} ≠ sum of interest ${interest}`);
    if ((r.totalRepayable as Money).amount !== principal + interest) p.add('totalRepayable', 'loan.amortisation', 'totalRepayable ≠ principal + totalInterest');
  },
};
