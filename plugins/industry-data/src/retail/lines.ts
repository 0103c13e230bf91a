// Basket lines shared by carts and orders: products picked from the catalogue with one of
// their variants, quantity, unit price and a line total in integer minor units.
import type { Money } from '../contract.js';
import type { Gen } from '../core/gen.js';
import type { Variant } from './products.js';

export interface Line {
  productId: string;
  sku: string;
  name: string;
  option: string;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

export function pickLines(g: Gen, min: number, max: number): Line[] {
  const n = g.count('products') ? g.rng.int(min, max) : 0;
  const lines: Line[] = [];
  for (let i = 0; i < n; i++) {
    const id = g.pick('products');
    if (lines.some((l) => l.productId === String(id))) continue;
    const p = g.get('products', id);
    const variant = g.rng.pick(p.variants as Variant[]);
    const quantity = g.rng.chance(0.8) ? 1 : g.rng.int(2, 3);
    lines.push({ productId: String(id), sku: variant.sku, name: String(p.name), option: variant.option, quantity, unitPrice: variant.price, lineTotal: g.money(variant.price.amount * quantity) });
  }
  return lines;
}

export const subtotal = (lines: readonly Line[]) => lines.reduce((s, l) => s + l.lineTotal.amount, 0);
