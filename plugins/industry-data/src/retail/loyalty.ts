// Loyalty accounts, one per customer: points earned are exactly 1 per currency unit of her
// delivered orders, plus a sign-up bonus, minus redemptions; the tier follows from the
// balance. A `tier` hint sets bonus or redemptions so her balance lands in that tier.
import type { Entity } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { pointsOf } from './orders.js';
import { LOYALTY_TIERS } from './vocabulary.js';

export const tierOf = (points: number) => [...LOYALTY_TIERS].reverse().find((t) => points >= t.min)!.tier;

export const loyaltyAccounts: TypeSpec = {
  type: 'loyalty-account',
  plural: 'loyalty-accounts',
  idPrefix: 'loy',
  description: "One loyalty account per customer: points earned from her delivered orders, bonus, redemptions, balance and tier.",
  count: 1000,
  parent: { name: 'customer', plural: 'customers', via: 'customerId', minOne: true },
  reads: ['orders'],
  fields: [
    { name: 'customerId, memberNumber', description: 'the customer; LOY-000042' },
    { name: 'earnedPoints, bonusPoints, redeemedPoints, points', description: 'points = earned + bonus − redeemed; earned = 1 per unit of delivered orders' },
    { name: 'tier', description: 'bronze (0) | silver (500) | gold (2000) | platinum (5000)' },
    { name: 'joinedAt', description: 'ISO instant' },
  ],
  hints: [{ key: 'tier', description: LOYALTY_TIERS.map((t) => t.tier).join(' | ') }],
  generate(g): Entity {
    const customerId = g.parentId();
    const earned = g.childrenOf('customers', customerId, 'orders').reduce((s, o) => s + pointsOf(g.get('orders', o)), 0);
    let bonus = 50;
    let redeemed = earned > 400 && g.rng.chance(0.4) ? Math.floor((earned * g.rng.int(10, 60)) / 100) : 0;
    const wanted = LOYALTY_TIERS.findIndex((t) => t.tier === g.hints.tier);
    if (wanted >= 0) {
      const min = LOYALTY_TIERS[wanted].min;
      const max = wanted + 1 < LOYALTY_TIERS.length ? LOYALTY_TIERS[wanted + 1].min - 1 : Infinity;
      const balance = earned + bonus - redeemed;
      if (balance < min) bonus += min - balance + g.rng.int(0, 100);
      else if (balance > max) redeemed += balance - max + g.rng.int(0, 100);
    }
    const points = earned + bonus - redeemed;
    const customer = g.parent();
    return {
      id: g.key,
      type: 'loyalty-account',
      customerId: String(customerId),
      memberNumber: `LOY-${String(customerId).padStart(6, '0')}`,
      earnedPoints: earned,
      bonusPoints: bonus,
      redeemedPoints: redeemed,
      points,
      tier: tierOf(points),
      joinedAt: iso(Date.parse(String(customer.createdAt)) + g.rng.int(0, 30) * DAY),
    };
  },
  check(r: Entity, p: Problems) {
    const n = (k: string) => Number(r[k]);
    if (n('earnedPoints') + n('bonusPoints') - n('redeemedPoints') !== n('points')) p.add('points', 'loyalty.points', 'points ≠ earned + bonus − redeemed');
    if (tierOf(n('points')) !== r.tier) p.add('tier', 'loyalty.tier', `tier ${String(r.tier)} does not match ${n('points')} points (${tierOf(n('points'))})`);
  },
};
