// Payment cards: numbers only from the networks' published test numbers (safety/cards.ts),
// Luhn-valid, linked to one of the holder's accounts. Hints: `product` (debit | credit),
// `network` (visa | mastercard | amex | discover | jcb | diners).
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { addMonths, DAY, iso } from '../core/time.js';
import { maskCard, TEST_CARDS } from '../safety/cards.js';

export const cards: TypeSpec = {
  type: 'card',
  plural: 'cards',
  idPrefix: 'crd',
  description: "Debit and credit cards of customers, with test-range numbers, linked to one of the customer's accounts.",
  count: 1500,
  parent: { name: 'customer', plural: 'customers', via: 'customerId' },
  refs: [{ name: 'account', plural: 'accounts', via: 'accountId' }],
  fields: [
    { name: 'customerId, accountId', description: "holder and one of the holder's accounts" },
    { name: 'product, network', description: 'debit | credit; visa, mastercard, amex, discover, jcb, diners' },
    { name: 'cardNumber, maskedNumber, last4', description: "a published test number (Luhn-valid); numbers repeat across cards on purpose" },
    { name: 'expiry', description: 'MM/YY after the epoch' },
    { name: 'holderName, status, issuedAt', description: 'name on the card; active|blocked|expired; ISO instant' },
    { name: 'creditLimit', description: 'Money (credit cards)' },
    { name: 'token', description: 'opaque id, unique per card' },
  ],
  hints: [
    { key: 'product', description: 'debit | credit' },
    { key: 'network', description: 'visa | mastercard | amex | discover | jcb | diners' },
  ],
  generate(g): Entity {
    const customer = g.parent();
    const accountIds = g.childrenOf('customers', g.parentId(), 'accounts');
    const product = g.hints.product === 'debit' || g.hints.product === 'credit' ? g.hints.product : g.rng.chance(0.6) ? 'debit' : 'credit';
    const candidates = typeof g.hints.network === 'string' ? TEST_CARDS.filter((c) => c.network === g.hints.network) : TEST_CARDS;
    const card = g.rng.pick(candidates.length ? candidates : TEST_CARDS);
    const issued = g.epoch - g.rng.int(30, 3 * 365) * DAY;
    const expires = new Date(addMonths(issued, 48));
    return {
      id: g.key,
      type: 'card',
      customerId: String(g.parentId()),
      accountId: accountIds.length ? String(accountIds[g.rng.int(0, accountIds.length - 1)]) : null,
      product,
      network: card.network,
      cardNumber: card.number,
      maskedNumber: maskCard(card.number),
      last4: card.number.slice(-4),
      expiry: `${String(expires.getUTCMonth() + 1).padStart(2, '0')}/${String(expires.getUTCFullYear()).slice(2)}`,
      holderName: String(customer.name).toUpperCase(),
      status: g.rng.pick(['active', 'active', 'active', 'active', 'blocked']),
      ...(product === 'credit' ? { creditLimit: g.money(g.rng.pick([100_000, 250_000, 500_000, 1_000_000])) } : {}),
      token: `tok_${g.faker.string.alphanumeric({ length: 20, casing: 'lower' })}`,
      issuedAt: iso(issued),
    };
  },
};
