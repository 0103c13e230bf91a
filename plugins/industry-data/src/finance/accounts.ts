// Accounts at the demo's fictitious bank: IBAN (mod-97 valid, bank code starting with 0), test
// BIC, product, and a balance that is exactly the opening balance plus the account's
// transactions (credits − debits). Hints: `product`, `balance` (minor units: the opening
// balance is set so the transactions still add up), `status`.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { accountIban, HOME_BANK } from './banks.js';
import { ledgerOf } from './ledger.js';
import { ACCOUNT_PRODUCTS, type AccountProduct } from './vocabulary.js';

export const accounts: TypeSpec = {
  type: 'account',
  plural: 'accounts',
  idPrefix: 'acc',
  description: "Customers' accounts: IBAN and BIC of a fictitious bank, product, and a balance that equals opening + credits − debits of its transactions.",
  count: 2500,
  parent: { name: 'customer', plural: 'customers', via: 'customerId', minOne: true },
  fields: [
    { name: 'customerId, holderName', description: 'owner (the customer entity) and the name on the account' },
    { name: 'product, productName', description: 'current, savings, business, fixed-deposit' },
    { name: 'iban, bic, bankName', description: 'DE IBAN (ISO 13616, mod 97) with a fictitious bank code; ISO 9362 test BIC' },
    { name: 'openingBalance, credits, debits, balance', description: 'Money; balance = openingBalance + credits − debits, and = the last transaction\'s balanceAfter' },
    { name: 'transactionCount', description: 'number of its transactions' },
    { name: 'overdraftLimit', description: 'Money (current accounts)' },
    { name: 'interestRate', description: 'annual percent' },
    { name: 'status, openedAt', description: 'active | dormant; ISO instant' },
  ],
  hints: [
    { key: 'product', description: 'current | savings | business | fixed-deposit' },
    { key: 'balance', description: 'balance in minor units; the opening balance is derived so its transactions still add up' },
  ],
  generate(g): Entity {
    const customer = g.parent();
    const product: AccountProduct =
      typeof g.hints.product === 'string' && g.hints.product in ACCOUNT_PRODUCTS
        ? (g.hints.product as AccountProduct)
        : customer.segment === 'business'
          ? g.rng.pick(['business', 'business', 'savings'])
          : g.rng.pick(['current', 'current', 'savings', 'current', 'fixed-deposit']);
    const ledger = ledgerOf(g, g.id, product).facts;
    let credits = 0;
    let debits = 0;
    for (const t of ledger) if (t.amount >= 0) credits += t.amount;
    else debits -= t.amount;
    const net = credits - debits;
    const opening = typeof g.hints.balance === 'number' ? Math.round(g.hints.balance) - net : g.rng.int(product === 'savings' ? 100_000 : 20_000, product === 'fixed-deposit' ? 5_000_000 : 800_000) + Math.max(0, -net);
    const holderName = typeof customer.companyName === 'string' ? customer.companyName : String(customer.name);
    const opened = Date.parse(String(customer.createdAt)) + g.rng.int(0, 200) * DAY;
    return {
      id: g.key,
      type: 'account',
      customerId: String(g.parentId()),
      holderName,
      product,
      productName: ACCOUNT_PRODUCTS[product].name,
      iban: accountIban(HOME_BANK, 10_000_000 + g.id),
      bic: HOME_BANK.bic,
      bankName: HOME_BANK.name,
      currency: g.currency,
      openingBalance: g.money(opening),
      credits: g.money(credits),
      debits: g.money(debits),
      balance: g.money(opening + net),
      transactionCount: ledger.length,
      overdraftLimit: g.money(product === 'current' ? g.rng.pick([0, 50_000, 100_000, 250_000]) : 0),
      interestRate: ACCOUNT_PRODUCTS[product].rate,
      status: g.rng.chance(0.94) ? 'active' : 'dormant',
      openedAt: iso(Math.min(opened, g.epoch - DAY * 190)),
    };
  },
  check(r: Entity, p: Problems) {
    const amount = (k: string) => (r[k] as { amount: number }).amount;
    if (amount('openingBalance') + amount('credits') - amount('debits') !== amount('balance')) {
      p.add('balance', 'money.balance', `balance ${amount('balance')} ≠ opening ${amount('openingBalance')} + credits ${amount('credits')} − debits ${amount('debits')}`);
    }
    if (amount('credits') < 0 || amount('debits') < 0) p.add('credits', 'money.balance', 'credits and debits are sums of positive amounts');
  },
};
