// Carts: the "cart" step of the shopping journey — active (updated in the last two days) or
// abandoned — with lines and a subtotal that is their sum.
import type { Entity, Money } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, HOUR, iso } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { pickLines, subtotal, type Line } from './lines.js';

export const carts: TypeSpec = {
  type: 'cart',
  plural: 'carts',
  idPrefix: 'crt',
  description: 'Shopping carts (active or abandoned) with lines and subtotals that sum.',
  count: 800,
  parent: { name: 'customer', plural: 'customers', via: 'customerId' },
  reads: ['products'],
  fields: [
    { name: 'customerId, status', description: 'owner; active|abandoned' },
    { name: 'lines[]', description: 'productId, sku, name, option, quantity, unitPrice, lineTotal' },
    { name: 'itemCount, subtotal', description: 'sum of quantities; Money sum of line totals' },
    { name: 'createdAt, updatedAt', description: 'ISO instants' },
  ],
  hints: [{ key: 'status', description: 'active | abandoned' }],
  generate(g): Entity {
    const lines = pickLines(g, 1, 4);
    const status = g.hints.status === 'active' || g.hints.status === 'abandoned' ? g.hints.status : g.rng.chance(0.4) ? 'active' : 'abandoned';
    const updated = status === 'active' ? g.epoch - g.rng.int(1, 47) * HOUR : g.epoch - g.rng.int(3, 60) * DAY;
    return {
      id: g.key,
      type: 'cart',
      customerId: String(g.parentId()),
      status,
      lines,
      itemCount: lines.reduce((s, l) => s + l.quantity, 0),
      subtotal: g.money(subtotal(lines)),
      createdAt: iso(updated - g.rng.int(5, 600) * 60_000),
      updatedAt: iso(updated),
    };
  },
  check(r: Entity, p: Problems) {
    const lines = r.lines as Line[];
    lines.forEach((l, i) => {
      if (l.unitPrice.amount * l.quantity !== l.lineTotal.amount) p.add(`lines[${i}].lineTotal`, 'money.sum', 'lineTotal ≠ unitPrice × quantity');
    });
    if (subtotal(lines) !== (r.subtotal as Money).amount) p.add('subtotal', 'money.sum', 'subtotal ≠ sum of line totals');
  },
};
