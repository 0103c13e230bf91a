// The finance industry: customers, accounts, cards, transactions, portfolios, loans and
// ISO 20022-shaped payments of a fictitious bank.
import type { IndustrySpec } from '../core/spec.js';
import { accounts } from './accounts.js';
import { cards } from './cards.js';
import { customers } from './customers.js';
import { loans } from './loans.js';
import { payments } from './payments.js';
import { portfolios } from './portfolios.js';
import { transactions } from './transactions.js';

export const finance: IndustrySpec = {
  name: 'finance',
  description: 'A retail bank: customers, accounts (IBAN/BIC of fictitious banks), test-range cards, transactions with merchants, portfolios, loans and ISO 20022 payments.',
  source: 'builtin',
  types: [customers, accounts, cards, transactions, portfolios, loans, payments],
};
