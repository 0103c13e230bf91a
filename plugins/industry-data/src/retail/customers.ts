// Shop customers: people with safe contact details, a segment, marketing consent and the
// device they last used (RFC 5737 IP). Hints: `name`, `segment`, `sex`, `age`, `email`,
// `orders` (journey statuses, each one of her orders: ['delivered', 'returned']) and `tier`
// (her loyalty tier).
import type { Entity, Hints } from '../contract.js';
import { makePerson } from '../core/people.js';
import type { Demand, TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import { makeIpv4 } from '../safety/contact.js';
import { JOURNEY, LOYALTY_TIERS } from './vocabulary.js';

export const retailCustomers: TypeSpec = {
  type: 'customer',
  plural: 'customers',
  idPrefix: 'cus',
  description: 'Shop customers with safe contact details, segment and marketing consent.',
  count: 1000,
  fields: [
    { name: 'customerNumber, name, givenName, familyName', description: 'C- and six digits; faker or hinted name' },
    { name: 'email, phone, address', description: 'RFC 2606 e-mail, fictional phone, shipping address' },
    { name: 'segment', description: 'new | regular | vip' },
    { name: 'marketingOptIn, lastSeenIp, device', description: 'boolean; RFC 5737 address; desktop|mobile|tablet' },
    { name: 'createdAt', description: 'ISO instant' },
  ],
  hints: [
    { key: 'name', description: 'full name' },
    { key: 'segment', description: 'new | regular | vip' },
    { key: 'orders', description: `journey statuses of her orders, one order each: ${JOURNEY.slice(2).join(', ')}` },
    { key: 'tier', description: `loyalty tier: ${LOYALTY_TIERS.map((t) => t.tier).join(', ')}` },
  ],
  demands(hints: Hints): Demand[] {
    const out: Demand[] = [];
    for (const s of Array.isArray(hints.orders) ? hints.orders : []) if (typeof s === 'string' && (JOURNEY as readonly string[]).includes(s)) out.push({ plural: 'orders', hints: { status: s } });
    if (typeof hints.tier === 'string') out.push({ plural: 'loyalty-accounts', hints: { tier: hints.tier } });
    return out;
  },
  generate(g): Entity {
    const person = makePerson(g, { minAge: 18, maxAge: 80 });
    return {
      id: g.key,
      type: 'customer',
      customerNumber: `C-${String(g.id).padStart(6, '0')}`,
      name: person.fullName,
      givenName: person.givenName,
      familyName: person.familyName,
      email: person.email,
      phone: person.phone,
      address: person.address,
      segment: typeof g.hints.segment === 'string' ? g.hints.segment : g.rng.pick(['new', 'regular', 'regular', 'regular', 'vip']),
      marketingOptIn: g.rng.chance(0.55),
      device: g.rng.pick(['desktop', 'mobile', 'mobile', 'tablet']),
      lastSeenIp: makeIpv4(g.rng),
      createdAt: iso(g.epoch - g.rng.int(400, 6 * 365) * DAY),
    };
  },
};
