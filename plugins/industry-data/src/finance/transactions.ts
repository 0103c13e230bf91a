// An account's transactions over the 180 days before the epoch, in booking order, each with
// the balance before and after it: the running balance starts at the account's opening
// balance and ends at its balance. Merchants carry ISO 18245 MCCs; memos come from templates.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso, isoDate } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { compose } from '../text/template.js';
import { companyName } from '../text/companies.js';
import { counterpartyAccount } from './banks.js';
import { ledgerOf } from './ledger.js';
import { FINANCE_WORDS, MCC, MEMO_TEMPLATES, type AccountProduct } from './vocabulary.js';

const WINDOW = 180 * DAY;

export const transactions: TypeSpec = {
  type: 'transaction',
  plural: 'transactions',
  idPrefix: 'txn',
  description: 'Booked transactions of an account with merchants (MCC), counterparties, memos and running balances that add up.',
  count: 50_000,
  parent: { name: 'account', plural: 'accounts', via: 'accountId', minOne: true },
  fields: [
    { name: 'accountId, customerId', description: 'the account and its owner' },
    { name: 'bookedAt, valueDate', description: 'ISO instant / date; ascending within an account' },
    { name: 'kind', description: 'card, transfer-out, transfer-in, salary, direct-debit, interest, atm, fee' },
    { name: 'direction, amount', description: 'debit|credit; signed Money (negative leaves the account)' },
    { name: 'balanceBefore, balanceAfter', description: 'running balance: balanceAfter = balanceBefore + amount' },
    { name: 'merchant', description: 'card payments: name, mcc (ISO 18245), mccDescription, category, city' },
    { name: 'counterparty', description: 'transfers: name, iban, bic (fictitious banks)' },
    { name: 'memo, reference, status', description: 'templated text; END-TO-END style reference; booked' },
  ],
  hints: [],
  generate(g): Entity {
    const account = g.parent();
    const product = account.product as AccountProduct;
    const ledger = ledgerOf(g, g.parentId(), product);
    const ids = ledger.ids;
    const index = ids.indexOf(g.id);
    let balance = (account.openingBalance as { amount: number }).amount;
    for (let i = 0; i < index; i++) balance += ledger.facts[i].amount;
    const facts = ledger.facts[index];
    const spacing = WINDOW / (ids.length + 1);
    const at = g.epoch - WINDOW + (index + 1) * spacing + g.rng.int(0, Math.floor(spacing / 2));
    const month = FINANCE_WORDS.month[new Date(at).getUTCMonth()];
    const counterparty = facts.kind.startsWith('transfer') ? { name: g.faker.person.fullName(), ...counterpartyAccount(g.rng) } : undefined;
    const employer = companyName(g.rng);
    const reference = `REF${String(g.id).padStart(8, '0')}`;
    const templates: readonly string[] =
      facts.kind === 'card' ? MEMO_TEMPLATES.card
      : facts.kind === 'transfer-out' ? MEMO_TEMPLATES.transferOut
      : facts.kind === 'transfer-in' ? MEMO_TEMPLATES.transferIn
      : facts.kind === 'salary' ? MEMO_TEMPLATES.salary
      : facts.kind === 'direct-debit' ? MEMO_TEMPLATES.directDebit
      : facts.kind === 'interest' ? MEMO_TEMPLATES.interest
      : facts.kind === 'atm' ? MEMO_TEMPLATES.atm
      : MEMO_TEMPLATES.fee;
    const city = g.rng.pick(FINANCE_WORDS.city);
    const memo = compose(templates, g.rng, FINANCE_WORDS, { merchant: facts.merchant?.name ?? '', counterparty: counterparty?.name ?? '', employer, reference, month, city });
    return {
      id: g.key,
      type: 'transaction',
      accountId: String(g.parentId()),
      customerId: account.customerId,
      bookedAt: iso(at),
      valueDate: isoDate(at),
      kind: facts.kind,
      direction: facts.amount < 0 ? 'debit' : 'credit',
      amount: g.money(facts.amount, String(account.currency)),
      balanceBefore: g.money(balance, String(account.currency)),
      balanceAfter: g.money(balance + facts.amount, String(account.currency)),
      ...(facts.merchant ? { merchant: { name: facts.merchant.name, mcc: facts.merchant.mcc, mccDescription: MCC[facts.merchant.mcc], category: facts.merchant.category, city } } : {}),
      ...(counterparty ? { counterparty } : {}),
      memo,
      reference,
      status: 'booked',
    };
  },
  check(r: Entity, p: Problems) {
    const a = (k: string) => (r[k] as { amount: number }).amount;
    if (a('balanceBefore') + a('amount') !== a('balanceAfter')) p.add('balanceAfter', 'money.balance', `balanceAfter ${a('balanceAfter')} ≠ balanceBefore ${a('balanceBefore')} + amount ${a('amount')}`);
    if ((a('amount') < 0) !== (r.direction === 'debit')) p.add('direction', 'money.sign', `direction ${String(r.direction)} does not match amount ${a('amount')}`);
    const m = r.merchant as { mcc?: string } | undefined;
    if (m && !(String(m.mcc) in MCC)) p.add('merchant.mcc', 'mcc.known', `MCC ${String(m.mcc)} is not in the ISO 18245 list the generator uses`);
  },
};
