// Investment portfolios of fictional Demo Exchange listings (".DX" tickers, no real market).
// Each ticker's daily price series is a function of (seed, listing), so the same stock has the
// same prices in every portfolio; a holding's value is quantity × last close and the
// portfolio's total is the sum of its holdings. Hints: `strategy`.
import type { Random } from '@understudy/plugin-sdk';
import type { Entity, Money } from '../contract.js';
import type { Gen } from '../core/gen.js';
import type { TypeSpec } from '../core/spec.js';
import { DAY, iso, isoDate } from '../core/time.js';
import type { Problems } from '../safety/problems.js';
import { LISTINGS, STRATEGIES } from './vocabulary.js';

const DAYS = 30;

/** Daily closes (minor units) of a listing for the 30 days up to the epoch: a seeded random walk. */
export function priceSeries(random: Random, base: number, epoch: number): Array<{ date: string; close: number }> {
  const out: Array<{ date: string; close: number }> = [];
  let price = base * (0.8 + 0.4 * random.next());
  for (let d = DAYS - 1; d >= 0; d--) {
    price = Math.max(50, price * (1 + random.normal(0.0004, 0.018)));
    out.push({ date: isoDate(epoch - d * DAY), close: Math.round(price) });
  }
  return out;
}

const TICKERS = new Set(LISTINGS.map((l) => l.ticker));

export const portfolios: TypeSpec = {
  type: 'portfolio',
  plural: 'portfolios',
  idPrefix: 'pfl',
  description: 'Investment portfolios of fictional Demo Exchange listings with 30-day price series and values that sum.',
  count: 400,
  parent: { name: 'customer', plural: 'customers', via: 'customerId' },
  fields: [
    { name: 'customerId, name, strategy', description: 'owner; "Balanced Growth Portfolio"; strategy' },
    { name: 'holdings[]', description: 'ticker (.DX), name, sector, quantity, price (last close), value = quantity × price, priceSeries [{ date, close }]' },
    { name: 'totalValue', description: 'Money: sum of the holdings\' values' },
    { name: 'exchange', description: '"Demo Exchange (fictional)"' },
    { name: 'openedAt, valuedAt', description: 'ISO instants; valued at the epoch' },
  ],
  hints: [{ key: 'strategy', description: STRATEGIES.join(' | ') }],
  generate(g: Gen): Entity {
    const strategy = typeof g.hints.strategy === 'string' ? g.hints.strategy : g.rng.pick(STRATEGIES);
    const n = g.rng.int(3, 7);
    const picked = new Set<number>();
    while (picked.size < n) picked.add(g.rng.int(0, LISTINGS.length - 1));
    let total = 0;
    const holdings = [...picked].sort((a, b) => a - b).map((i) => {
      const l = LISTINGS[i];
      const series = g.memo(`listing/${i}`, () => priceSeries(g.streamOf('listings', i, 'prices'), l.basePrice, g.epoch));
      const price = series[series.length - 1].close;
      const quantity = g.rng.int(5, 400);
      total += quantity * price;
      return {
        ticker: l.ticker,
        name: l.name,
        sector: l.sector,
        quantity,
        price: g.money(price),
        value: g.money(quantity * price),
        priceSeries: series.map((s) => ({ date: s.date, close: { amount: s.close, currency: g.currency } })),
      };
    });
    const label = strategy.replace(/\b\w/g, (c) => c.toUpperCase());
    return {
      id: g.key,
      type: 'portfolio',
      customerId: String(g.parentId()),
      name: `${label} Portfolio`,
      strategy,
      exchange: 'Demo Exchange (fictional)',
      currency: g.currency,
      holdings,
      totalValue: g.money(total),
      openedAt: iso(g.epoch - g.rng.int(90, 8 * 365) * DAY),
      valuedAt: iso(g.epoch),
    };
  },
  check(r: Entity, p: Problems) {
    const holdings = r.holdings as Array<{ ticker: string; quantity: number; price: Money; value: Money }>;
    let sum = 0;
    holdings.forEach((h, i) => {
      if (!TICKERS.has(h.ticker)) p.add(`holdings[${i}].ticker`, 'ticker.fictional', `ticker ${h.ticker} is not a fictional Demo Exchange listing`);
      if (h.quantity * h.price.amount !== h.value.amount) p.add(`holdings[${i}].value`, 'money.sum', `value ${h.value.amount} ≠ quantity ${h.quantity} × price ${h.price.amount}`);
      sum += h.value.amount;
    });
    if (sum !== (r.totalValue as Money).amount) p.add('totalValue', 'money.sum', `totalValue ${(r.totalValue as Money).amount} ≠ sum of holdings ${sum}`);
  },
};
