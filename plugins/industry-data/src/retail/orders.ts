// Orders through the journey browse → cart → checkout → shipped → delivered → returned: the
// order's `status` is the last step it reached and `journey` lists every step with its time.
// Totals add up: total = subtotal − discount + shipping + tax, in integer minor units. Payment
// shows only the network and last four digits of a test card. Hints: `status` (a journey step
// from checked-out on).
import type { Entity, Money } from '../contract.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, HOUR, iso, MINUTE } from '../core/time.js';
import { TEST_CARDS } from '../safety/cards.js';
import type { Problems } from '../safety/problems.js';
import { pickLines, subtotal, type Line } from './lines.js';
import { JOURNEY, type JourneyStep } from './vocabulary.js';

const TAX_RATE = 0.08;
const FREE_SHIPPING_FROM = 5_000;
const SHIPPING = 495;

export const orders: TypeSpec = {
  type: 'order',
  plural: 'orders',
  idPrefix: 'ord',
  description: 'Orders through the journey (browsed → added-to-cart → checked-out → shipped → delivered → returned) with totals that add up.',
  count: 3000,
  parent: { name: 'customer', plural: 'customers', via: 'customerId' },
  reads: ['products'],
  fields: [
    { name: 'orderNumber, customerId', description: 'ORD-000042; the customer' },
    { name: 'status, journey[]', description: 'the last step reached; [{ step, at }] for every step' },
    { name: 'lines[]', description: 'as carts' },
    { name: 'subtotal, discount, shipping, tax, total', description: 'Money; total = subtotal − discount + shipping + tax' },
    { name: 'refunded', description: 'Money: the total, for returned orders' },
    { name: 'payment', description: 'method card, network, last4 of a published test card' },
    { name: 'shippingAddress, shipment', description: "the customer's address; carrier, trackingNumber, trackingUrl (example.com)" },
    { name: 'placedAt, promoCode', description: 'ISO instant; promotion used, if any' },
  ],
  hints: [{ key: 'status', description: 'checked-out | shipped | delivered | returned' }],
  generate(g): Entity {
    const customer = g.parent();
    const lines = pickLines(g, 1, 4);
    const placed = g.epoch - g.rng.int(0, 365) * DAY - g.rng.int(0, 23) * HOUR;
    const age = g.epoch - placed;
    const hinted = typeof g.hints.status === 'string' && (JOURNEY as readonly string[]).indexOf(g.hints.status) >= 2 ? (g.hints.status as JourneyStep) : undefined;
    const natural: JourneyStep = age < DAY ? 'checked-out' : age < 4 * DAY ? g.rng.pick(['checked-out', 'shipped'] as const) : g.rng.chance(0.9) ? 'delivered' : 'returned';
    const status = hinted ?? natural;
    const reached = JOURNEY.indexOf(status);
    const times: Record<JourneyStep, number> = {
      browsed: placed - g.rng.int(10, 90) * MINUTE,
      'added-to-cart': placed - g.rng.int(2, 9) * MINUTE,
      'checked-out': placed,
      shipped: placed + g.rng.int(12, 40) * HOUR,
      delivered: placed + g.rng.int(2, 5) * DAY,
      returned: placed + g.rng.int(8, 25) * DAY,
    };
    const journey = JOURNEY.slice(0, reached + 1)
      .filter((s) => s !== 'returned' || status === 'returned')
      .map((step) => ({ step, at: iso(times[step]) }));
    const sub = subtotal(lines);
    const promo = g.rng.chance(0.15) ? 'WELCOME10' : undefined;
    const discount = promo ? Math.round(sub * 0.1) : 0;
    const shipping = sub >= FREE_SHIPPING_FROM ? 0 : SHIPPING;
    const tax = Math.round((sub - discount) * TAX_RATE);
    const total = sub - discount + shipping + tax;
    const card = g.rng.pick(TEST_CARDS);
    const tracking = `DPS${String(g.id).padStart(10, '0')}`;
    return {
      id: g.key,
      type: 'order',
      orderNumber: `ORD-${String(g.id).padStart(6, '0')}`,
      customerId: String(g.parentId()),
      status,
      journey,
      lines,
      itemCount: lines.reduce((s, l) => s + l.quantity, 0),
      subtotal: g.money(sub),
      discount: g.money(discount),
      shipping: g.money(shipping),
      tax: g.money(tax),
      total: g.money(total),
      ...(status === 'returned' ? { refunded: g.money(total) } : {}),
      ...(promo ? { promoCode: promo } : {}),
      payment: { method: 'card', network: card.network, last4: card.number.slice(-4) },
      shippingAddress: customer.address,
      ...(reached >= 3 ? { shipment: { carrier: 'Demo Parcel Service (fictional)', trackingNumber: tracking, trackingUrl: `https://tracking.example.com/${tracking}` } } : {}),
      placedAt: iso(placed),
    };
  },
  check(r: Entity, p: Problems) {
    const a = (k: string) => (r[k] as Money).amount;
    const lines = r.lines as Line[];
    if (subtotal(lines) !== a('subtotal')) p.add('subtotal', 'money.sum', 'subtotal ≠ sum of line totals');
    if (a('subtotal') - a('discount') + a('shipping') + a('tax') !== a('total')) p.add('total', 'money.sum', 'total ≠ subtotal − discount + shipping + tax');
    const steps = (r.journey as Array<{ step: string }>).map((s) => s.step);
    if (steps[steps.length - 1] !== r.status) p.add('status', 'journey.order', `status ${String(r.status)} is not the journey's last step (${steps[steps.length - 1]})`);
    steps.forEach((s, i) => {
      const expected = JOURNEY[i];
      if (s !== expected && !(s === 'returned' && i === 4)) p.add(`journey[${i}]`, 'journey.order', `step ${s} out of order (expected ${expected})`);
    });
  },
};

/** Loyalty points an order earns: 1 per currency unit of a delivered order, none when returned or not delivered yet. */
export function pointsOf(order: Entity): number {
  return order.status === 'delivered' ? Math.floor((order.total as Money).amount / 100) : 0;
}
