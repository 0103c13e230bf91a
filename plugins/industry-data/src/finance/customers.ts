// Finance customers: people (and some businesses) with a segment, KYC state and risk rating.
// Hints: `name`, `segment`, `sex`, `age`/`birthDate`, `email`, and `products` (which accounts,
// cards, loans and portfolios she holds — see demands()).
import type { Entity, Hints } from '../contract.js';
import { makePerson } from '../core/people.js';
import type { Demand, TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import { makeIpv4 } from '../safety/contact.js';
import { companyName } from '../text/companies.js';
import { ACCOUNT_PRODUCTS, LOAN_KINDS } from './vocabulary.js';

export const SEGMENTS = ['retail', 'premium', 'private', 'business'] as const;

/** Product names a customer's `products` hint may list, and the child each asks for. */
export const PRODUCT_HINTS: Record<string, { plural: string; hints: Hints }> = {
  ...Object.fromEntries(Object.keys(ACCOUNT_PRODUCTS).map((p) => [p, { plural: 'accounts', hints: { product: p } }])),
  ...Object.fromEntries(Object.keys(LOAN_KINDS).map((k) => [k, { plural: 'loans', hints: { kind: k } }])),
  'credit-card': { plural: 'cards', hints: { product: 'credit' } },
  'debit-card': { plural: 'cards', hints: { product: 'debit' } },
  portfolio: { plural: 'portfolios', hints: {} },
};

export function productDemands(hints: Hints): Demand[] {
  const products = Array.isArray(hints.products) ? hints.products : [];
  const out: Demand[] = [];
  for (const p of products) {
    const name = typeof p === 'string' ? p : typeof p === 'object' && p && typeof (p as Hints).product === 'string' ? String((p as Hints).product) : '';
    const known = PRODUCT_HINTS[name];
    if (!known) continue;
    const extra = typeof p === 'object' && p ? { ...(p as Hints) } : {};
    delete extra.product;
    out.push({ plural: known.plural, hints: { ...known.hints, ...extra } });
  }
  return out;
}

export const customers: TypeSpec = {
  type: 'customer',
  plural: 'customers',
  idPrefix: 'cus',
  description: 'Bank customers: people and small businesses, with segment, KYC status and risk rating.',
  count: 1000,
  fields: [
    { name: 'customerNumber', description: 'CUS- and six digits' },
    { name: 'name / givenName / familyName', description: 'faker-generated, or the hinted name' },
    { name: 'kind', description: 'person or business (segment business)' },
    { name: 'companyName', description: 'for businesses: an invented company name' },
    { name: 'segment', description: 'retail, premium, private, business' },
    { name: 'email / phone', description: 'RFC 2606 domain / fictional range' },
    { name: 'dateOfBirth, address', description: 'ISO date; street, city, postal code, state, country' },
    { name: 'kycStatus, riskRating', description: 'verified|pending|review; low|medium|high' },
    { name: 'lastLoginIp', description: 'an RFC 5737 documentation address' },
    { name: 'createdAt', description: 'ISO instant before the epoch' },
  ],
  hints: [
    { key: 'name', description: 'full name, e.g. "Maria Chen"' },
    { key: 'segment', description: 'retail | premium | private | business' },
    { key: 'sex', description: 'female | male' },
    { key: 'age / birthDate', description: 'age in years at the epoch, or an ISO date' },
    { key: 'email', description: 'her address (must be on an RFC 2606 domain to pass the validator)' },
    {
      key: 'products',
      description: `products she holds; each becomes one of her accounts, cards, loans or portfolios: ${Object.keys(PRODUCT_HINTS).join(', ')} (or { product, ...hints for that entity }, e.g. { product: 'mortgage', principal: 32000000 })`,
    },
  ],
  demands: productDemands,
  generate(g): Entity {
    const segment = typeof g.hints.segment === 'string' ? g.hints.segment : g.rng.pick(['retail', 'retail', 'retail', 'premium', 'premium', 'private', 'business']);
    const person = makePerson(g, { minAge: 19, maxAge: 84 });
    const since = g.epoch - g.rng.int(30, 20 * 365) * DAY - g.rng.int(0, 86_399) * 1000;
    const business = segment === 'business';
    return {
      id: g.key,
      type: 'customer',
      customerNumber: `CUS-${String(g.id).padStart(6, '0')}`,
      kind: business ? 'business' : 'person',
      name: person.fullName,
      givenName: person.givenName,
      familyName: person.familyName,
      ...(business ? { companyName: companyName(g.rng) } : {}),
      segment,
      sex: person.sex,
      dateOfBirth: person.birthDate,
      email: person.email,
      phone: person.phone,
      address: person.address,
      kycStatus: g.rng.pick(['verified', 'verified', 'verified', 'verified', 'pending', 'review']),
      riskRating: segment === 'private' ? g.rng.pick(['low', 'medium']) : g.rng.pick(['low', 'low', 'medium', 'high']),
      lastLoginIp: makeIpv4(g.rng),
      createdAt: iso(since),
    };
  },
};
